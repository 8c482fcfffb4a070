package org.supportbot.app.slack;

import java.nio.file.Path;

/**
 * The process {@link SlackInboxCrashTest} kills: the Slack adapter in HTTP mode, wired as {@link SlackWire}
 * on the database in a folder, against a Web API served by the test's process. Prints {@code READY port}
 * once the endpoint serves, then runs until killed.
 *
 * <p>Arguments: the folder of the database, the Web API's URL prefix.
 */
public final class SlackCrashWorker {
  private SlackCrashWorker() {}

  public static void main(String[] args) throws Exception {
    SlackWire wire = new SlackWire(Path.of(args[0]), args[1]);
    System.out.println("READY " + wire.endpoint.address().getPort());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
