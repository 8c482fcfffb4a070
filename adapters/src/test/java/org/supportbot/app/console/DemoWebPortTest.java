package org.supportbot.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;

/**
 * {@code supportbot demo} is the main job on a fresh machine: when its default web port is taken it
 * serves the board on a free port and says so, instead of not starting; a port asked for explicitly
 * that is taken is still refused with the fix.
 */
class DemoWebPortTest {

  @TempDir Path data;

  /** Holds 8080 for the test, unless something else already does (it is taken either way). */
  private static ServerSocket hold(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return s;
    } catch (IOException alreadyTaken) {
      return null;
    }
  }

  private CliRun demo(String... extra) {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(new byte[0])); // the person types nothing: the demo ends at once
    try {
      String[] args = new String[3 + extra.length];
      args[0] = "demo";
      args[1] = "--data";
      args[2] = data.toString();
      System.arraycopy(extra, 0, args, 3, extra.length);
      return CliRun.of(args);
    } finally {
      System.setIn(before);
    }
  }

  @Test
  void theDefaultPortTakenMeansAFreePortNamedInTheOutput() throws IOException {
    ServerSocket held = hold(8080);
    try {
      CliRun run = demo();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).contains("127.0.0.1:8080 is in use; serving the web board on a free port instead");
      Matcher m = Pattern.compile("the web board is on http://127\\.0\\.0\\.1:(\\d+)/").matcher(run.out());
      assertThat(m.find()).as(run.out()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isNotEqualTo(8080).isPositive();
    } finally {
      if (held != null) {
        held.close();
      }
    }
  }

  @Test
  void anExplicitPortThatIsTakenIsRefusedWithTheFix() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CliRun run = demo("--web-port", Integer.toString(taken.getLocalPort()));
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("cannot serve the web board on 127.0.0.1:" + taken.getLocalPort()
          + " (it is in use); pass --web-port 0");
    }
  }
}
