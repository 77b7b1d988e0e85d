package io.rollforward.proxy.cli;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.AgentConfig;
import io.rollforward.config.ConfigException;
import io.rollforward.config.ConfigLoader;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.AuthKeyException;
import io.rollforward.heartbeat.agent.HeartbeatAgent;
import io.rollforward.proxy.transport.Transport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollforward agent -c FILE}: runs beside a web server and sends signed heartbeats to the
 * proxies every keepalive, reporting DOWN at once when the local check of the web server fails.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs beside a web server: signed UDP heartbeats to the proxies, DOWN at once when the local check fails.")
public final class AgentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "The agent's YAML config file.")
    Path file;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        try {
            config = ConfigLoader.loadAgent(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.BAD_CONFIG;
        }
        AuthKey key;
        try {
            key = AuthKey.read(config.keyFile());
        } catch (AuthKeyException e) {
            log.error("key-file: {}", e.getMessage());
            return ExitCodes.START_FAILED;
        }
        EventLoopGroup group = Transport.best().newGroup(1);
        HeartbeatAgent agent;
        try {
            agent = new HeartbeatAgent(config, key, group);
            agent.start();
        } catch (RuntimeException e) {
            log.error("could not start: {}", e.toString());
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            return ExitCodes.START_FAILED;
        }
        log.info("agent {} sending heartbeats to {} every {}", config.node(), config.sendTo(), config.timing().keepalive());
        StopSignal.await("agent", () -> {
            agent.close(); // sends a last DOWN so the proxies need not wait for deadtime
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
        });
        return ExitCodes.OK;
    }
}
