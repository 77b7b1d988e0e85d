package io.rollforward.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * A throw-away Apache 2.4 ServerRoot in a temp directory: its own {@code apache2.conf}, a
 * DocumentRoot with deterministic files, and two CGI scripts ({@code slow}, {@code echo}).
 *
 * <p>Layout: {@code apache2.conf}, {@code htdocs/}, {@code cgi-bin/}, {@code run/} (pid file,
 * cgid socket, mutexes), {@code logs/} ({@code error.log}, {@code access.log},
 * {@code echo.log} written by the echo CGI). When we run as root Apache's children run as
 * www-data, so the tree is world-readable and {@code logs/} is owned by www-data.
 */
final class ApacheServerRoot {
    static final Path APACHE_BINARY = Path.of("/usr/sbin/apache2");
    static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    static final String RUN_USER = "www-data";

    /** Loaded unless built in (Debian builds unixd and log_config into the binary). */
    private static final String[] MODULE_NAMES = {
        "mpm_event", "authz_core", "mime", "dir", "alias", "cgid", "ratelimit", "headers",
        "log_config", "logio", "env", "setenvif", "unixd",
    };

    private final Path root;

    private ApacheServerRoot(Path root) {
        this.root = root;
    }

    static ApacheServerRoot create(String name) throws IOException {
        Path root = Files.createTempDirectory("rollforward-apache-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
        ApacheServerRoot serverRoot = new ApacheServerRoot(root);
        serverRoot.writeContent();
        return serverRoot;
    }

    Path root() {
        return root;
    }

    Path conf() {
        return root.resolve("apache2.conf");
    }

    Path docRoot() {
        return root.resolve("htdocs");
    }

    Path runDir() {
        return root.resolve("run");
    }

    Path logDir() {
        return root.resolve("logs");
    }

    Path pidFile() {
        return runDir().resolve("apache2.pid");
    }

    /** {@code size} bytes that depend only on the offset, so any two origins serve equal files. */
    static byte[] deterministicBytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ((i * 31 + (i >>> 8) * 7 + 11) & 0xff);
        }
        return bytes;
    }

    private void writeContent() throws IOException {
        Path docRoot = Files.createDirectories(docRoot());
        Path cgiBin = Files.createDirectories(root.resolve("cgi-bin"));
        Files.createDirectories(runDir());
        Files.createDirectories(logDir());
        Files.writeString(docRoot.resolve("index.html"),
                "<!doctype html><title>rollforward test origin</title><p>index</p>\n");
        Files.writeString(docRoot.resolve(".testpage"), "test page");
        Files.write(docRoot.resolve("1k.bin"), deterministicBytes(1024));
        Files.write(docRoot.resolve("64k.bin"), deterministicBytes(64 * 1024));
        Files.write(docRoot.resolve("big.bin"), deterministicBytes(2 * 1024 * 1024));
        Files.createDirectories(docRoot.resolve("ratelimited"));
        Files.write(docRoot.resolve("ratelimited/64k.bin"), deterministicBytes(64 * 1024));
        writeScript(cgiBin.resolve("slow"), OriginScripts.SLOW);
        writeScript(cgiBin.resolve("echo"), OriginScripts.ECHO);
        makeReadableByApacheChildren();
    }

    private static void writeScript(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Temp directories are created 0700; Apache's children (www-data when we are root) must read
     * the DocumentRoot and run the CGIs, and the echo CGI appends to {@code logs/echo.log}.
     */
    private void makeReadableByApacheChildren() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }
        });
        if (runningAsRoot()) {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(logDir(), users.lookupPrincipalByName(RUN_USER));
        }
    }

    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes {@code apache2.conf} for {@code name} listening on {@code 127.0.0.1:port}. */
    void writeConf(String name, int port) throws IOException {
        StringBuilder conf = new StringBuilder();
        conf.append("# generated by ").append(ApacheServerRoot.class.getName()).append(" for origin ").append(name).append('\n');
        conf.append("ServerRoot \"").append(root).append("\"\n");
        conf.append("ServerName ").append(name).append(".test\n");
        conf.append("Listen 127.0.0.1:").append(port).append('\n');
        conf.append("PidFile \"").append(pidFile()).append("\"\n");
        conf.append("DefaultRuntimeDir \"").append(runDir()).append("\"\n");
        // File mutexes live in our temp dir; SysV semaphores would leak on every kill -9.
        conf.append("Mutex file:").append(runDir()).append(" default\n");
        conf.append("ErrorLog \"").append(logDir().resolve("error.log")).append("\"\n");
        conf.append("LogLevel warn\n");
        for (String module : MODULE_NAMES) {
            // Debian compiles some modules in; loading those again is a syntax error.
            conf.append("<IfModule !").append(module).append("_module>\n  LoadModule ").append(module)
                    .append("_module ").append(MODULES.resolve("mod_" + module + ".so")).append("\n</IfModule>\n");
        }
        if (runningAsRoot()) {
            conf.append("User ").append(RUN_USER).append("\nGroup ").append(RUN_USER).append('\n');
        }
        conf.append("""
                KeepAlive On
                MaxKeepAliveRequests 0
                KeepAliveTimeout 30
                StartServers 2
                ServerLimit 4
                ThreadsPerChild 64
                MaxRequestWorkers 256
                GracefulShutdownTimeout 5
                TypesConfig /etc/mime.types
                AddType application/octet-stream .bin
                DirectoryIndex index.html
                LogFormat "%h %{%s}t.%{msec_frac}t \\"%r\\" %>s %I %O %D" timing
                """);
        conf.append("CustomLog \"").append(logDir().resolve("access.log")).append("\" timing\n");
        conf.append("ScriptSock \"").append(runDir().resolve("cgid.sock")).append("\"\n");
        conf.append("Header always set X-Origin \"").append(name).append("\"\n");
        conf.append("SetEnv ORIGIN_NAME \"").append(name).append("\"\n");
        conf.append("SetEnv ECHO_LOG \"").append(logDir().resolve("echo.log")).append("\"\n");
        conf.append("DocumentRoot \"").append(docRoot()).append("\"\n");
        conf.append("<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n");
        conf.append("<Directory \"").append(docRoot()).append("\">\n  Require all granted\n</Directory>\n");
        conf.append("ScriptAlias /cgi-bin/ \"").append(root.resolve("cgi-bin")).append("/\"\n");
        conf.append("<Directory \"").append(root.resolve("cgi-bin")).append("\">\n  Require all granted\n  Options +ExecCGI\n</Directory>\n");
        // 64 KiB/s: /ratelimited/64k.bin takes about one second, a slow static resource.
        conf.append("<Location \"/ratelimited/\">\n  SetOutputFilter RATE_LIMIT\n  SetEnv rate-limit 64\n</Location>\n");
        Files.writeString(conf(), conf.toString());
    }

    void deleteRecursively() {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
