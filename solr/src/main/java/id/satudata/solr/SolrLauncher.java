package id.satudata.solr;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Serves a Solr home over HTTP for local CKAN development and tests.
 *
 * <p>Usage: {@code SolrLauncher --home DIR --port N [--host 127.0.0.1]}
 */
public final class SolrLauncher {

  private SolrLauncher() {}

  public static void main(String[] args) throws Exception {
    // Must happen before anything touches java.util.logging, or Jersey's JUL
    // messages bypass log4j2's level and format.
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    // Grab the real stdout first: JettyConfig.Builder's field initialisers load
    // SolrTestCaseJ4 (and with it Lucene's test-case classes), which may wrap
    // System.out/err. The READY line must reach the caller's log unmangled.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    String home = null;
    String host = "127.0.0.1";
    int port = -1;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--home" -> home = value;
        case "--port" -> port = parsePort(value);
        case "--host" -> host = value;
        default -> usage("unknown argument " + args[i]);
      }
      i++;
    }
    if (home == null || port <= 0 || port > 65535) usage("--home and --port are required");
    // JettySolrRunner hard-codes its connector to 127.0.0.1; accepting another
    // host here would silently lie about where Solr listens.
    if (!"127.0.0.1".equals(host)) usage("only --host 127.0.0.1 is supported");
    Path homeDir = Path.of(home).toAbsolutePath().normalize();
    if (!Files.isRegularFile(homeDir.resolve("solr.xml"))) usage("no solr.xml in " + homeDir);

    // There is no Solr distribution to point at. Solr adds <install dir>/lib
    // to its shared class path and warns when the property is missing; the
    // home's own lib/ is added anyway, so the home is a harmless stand-in
    // (the launcher's jar directory would load every class twice).
    if (System.getProperty("solr.install.dir") == null) {
      System.setProperty("solr.install.dir", homeDir.toString());
    }

    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            // The default retries a busy port for 60 s; the caller already
            // checked the port, so a clash should fail now, not in a minute.
            .withPortRetryTime(0)
            // Our own hook below calls runner.stop(), which also drains Solr's
            // executors; Jetty's hook on top would stop the server twice.
            .stopAtShutdown(false)
            .build();
    JettySolrRunner runner = new JettySolrRunner(homeDir.toString(), new Properties(), config);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    // Closing the cores flushes pending index changes to disk,
                    // so a SIGTERM never leaves a half-written index behind.
                    runner.stop();
                  } catch (Exception e) {
                    e.printStackTrace(err);
                  }
                },
                "satudata-solr-shutdown"));

    try {
      runner.start();
    } catch (Exception e) {
      e.printStackTrace(err);
      // Jetty/Solr leave non-daemon threads behind; without exit() a failed
      // start would hang instead of letting the caller see the process die.
      System.exit(1);
    }
    // start() returns only after every discovered core has loaded.
    out.println("SOLR READY port=" + runner.getLocalPort());
  }

  private static int parsePort(String value) {
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void usage(String why) {
    System.err.println("satudata-solr: " + why);
    System.err.println("usage: SolrLauncher --home DIR --port N [--host 127.0.0.1]");
    System.exit(2);
  }
}
