package dev.leakwatch.agent.attach;

import net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider;

/** {@code java -jar leakwatch-agent.jar list|attach|status|snapshot|report|stop}: exits with the command's status. */
public final class AttachMain {
    private AttachMain() {}

    public static void main(String[] args) {
        System.exit(new AttachCli(
                        System.out, System.err, new AttachClient(AttachClient.ownJar(), AttachmentProvider.DEFAULT))
                .run(args));
    }
}
