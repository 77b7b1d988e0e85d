package io.rollforward.proxy.cli;

import io.rollforward.config.ConfigException;
import io.rollforward.config.ConfigLoader;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.Rollforward;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollforward run -c FILE}: runs the proxy until SIGTERM or Ctrl-C, then drains and exits 0;
 * SIGHUP re-reads FILE.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the proxy with the given config until SIGTERM or Ctrl-C.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
    Path file;

    @Override
    public Integer call() throws InterruptedException {
        RollforwardConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.BAD_CONFIG;
        }
        Rollforward proxy;
        try {
            proxy = Rollforward.start(config);
        } catch (Exception e) {
            log.error("could not start: {}", e.toString());
            return ExitCodes.START_FAILED;
        }
        proxy.reloadsFrom(file);
        StopSignal.await("rollforward", () -> {
            log.info("stopping");
            proxy.close();
        }, proxy::reload);
        return ExitCodes.OK;
    }
}
