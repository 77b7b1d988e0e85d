package io.rollforward.proxy.cli;

import io.rollforward.config.ConfigException;
import io.rollforward.config.ConfigLoader;
import io.rollforward.config.RollforwardConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollforward check-config -c FILE}: exit 0 when valid, 1 with every error listed. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validates a config file: exit 0 when valid, 1 with every error as file:line:column: key: message.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
    Path file;

    private final PrintStream out;
    private final PrintStream err;

    public CheckConfigCommand() {
        this(System.out, System.err);
    }

    CheckConfigCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            RollforwardConfig config = ConfigLoader.load(file);
            out.printf("%s: OK (listen %s, %d replicas, master %s)%n", file, config.listen().map(String::valueOf)
                            .orElse("none, tls.listen " + config.tls().map(t -> t.listen().toString()).orElse("")),
                    config.replicas().size(), config.replicas().get(0).name());
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.printf("%s: %d error(s)%n", file, e.errors().size());
            return ExitCodes.BAD_CONFIG;
        }
    }
}
