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
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
