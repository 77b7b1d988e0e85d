package io.rollforward.proxy;

import io.rollforward.proxy.cli.AgentCommand;
import io.rollforward.proxy.cli.CheckConfigCommand;
import io.rollforward.proxy.cli.DemoCommand;
import io.rollforward.proxy.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar rollforward.jar <command>}. */
@Command(name = "rollforward", mixinStandardHelpOptions = true, version = "rollforward 0.1.0",
        description = "Roll-forward HA front proxy: every request runs on master and backup; the backup's reply is switched in when the master fails.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, DemoCommand.class, AgentCommand.class})
public final class Main implements Runnable {
    /** Netty's switch for small heaps; set before any Netty buffer class loads. */
    static final String NETTY_LOW_MEMORY = "io.netty.allocator.lowMemory";

    static {
        // Under a 512 MiB heap (the README prescribes -Xmx192m) Netty's adaptive allocator runs in
        // "low memory" mode: one magazine shared by every event loop and each buffer over 16 KiB
        // (every 32 KiB replica read) allocated and freed unpooled. That cost a 64 KiB pass-through
        // request 120 against 75 us of proxy CPU (bench/RESULTS.md, 16:33 and 16:39). The proxy
        // bounds what it buffers itself (limits.max-buffered-total); an operator may still say
        // -Dio.netty.allocator.lowMemory=true.
        if (System.getProperty(NETTY_LOW_MEMORY) == null) {
            System.setProperty(NETTY_LOW_MEMORY, "false");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
