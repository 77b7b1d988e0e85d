package io.rollforward.proxy.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the demo's script runs, the log goes to a file at WARN, not to the terminal: the script
 * prints what the client saw, and a divergence WARN or a start-up INFO line cutting through it
 * would make it hard to read. {@link #restore()} puts the console back (for the serving phase).
 * Does nothing when SLF4J is not bound to Logback.
 */
public final class DemoLogging implements AutoCloseable {
    private final ch.qos.logback.classic.Logger root;
    private final Level priorLevel;
    private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
    private final FileAppender<ILoggingEvent> file;
    private boolean restored;

    private DemoLogging(ch.qos.logback.classic.Logger root, FileAppender<ILoggingEvent> file) {
        this.root = root;
        this.priorLevel = root == null ? null : root.getLevel();
        this.file = file;
    }

    /** Sends WARN and above to {@code path} and nothing to the console until {@link #restore()}. */
    public static DemoLogging toFile(Path path) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new DemoLogging(null, null);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("demo-file");
        file.setFile(path.toString());
        file.setEncoder(encoder);
        file.start();
        DemoLogging logging = new DemoLogging(context.getLogger(Logger.ROOT_LOGGER_NAME), file);
        logging.root.iteratorForAppenders().forEachRemaining(logging.console::add);
        logging.console.forEach(logging.root::detachAppender);
        logging.root.addAppender(file);
        logging.root.setLevel(Level.WARN);
        return logging;
    }

    /** The console appenders and level are back; the file is closed. Idempotent. */
    public void restore() {
        if (root == null || restored) {
            return;
        }
        restored = true;
        root.detachAppender(file);
        file.stop();
        console.forEach(root::addAppender);
        root.setLevel(priorLevel);
    }

    @Override
    public void close() {
        restore();
    }
}
