package id.satudata.solr;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A SolrCloud of N nodes with an embedded ZooKeeper, for testing CKAN against
 * replicated collections on one machine.
 *
 * <p>Usage: {@code SolrCloudLauncher --dir DIR --port N --conf CONFDIR --collection NAME...
 * [--nodes 2] [--replicas 2]}
 *
 * <p>Node k (1-based) listens on port N+k-1, so CKAN's {@code solr_url} can name node 1. Each
 * collection gets one shard with {@code --replicas} replicas spread over the nodes. A node is
 * stopped by creating the file {@code DIR/control/stop-k} and started again with {@code
 * start-k}: a bench can take a node away mid-load and bring it back, as a real outage would.
 */
public final class SolrCloudLauncher {

  private SolrCloudLauncher() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    String dir = null;
    String conf = null;
    int port = -1;
    int nodes = 2;
    int replicas = 2;
    List<String> collections = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--dir" -> dir = value;
        case "--conf" -> conf = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--nodes" -> nodes = Integer.parseInt(value);
        case "--replicas" -> replicas = Integer.parseInt(value);
        case "--collection" -> collections.add(value);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (dir == null || conf == null || port <= 0 || collections.isEmpty() || nodes < 1) {
      usage("--dir, --conf, --port and --collection are required");
    }
    Path base = Path.of(dir).toAbsolutePath().normalize();
    Path control = base.resolve("control");
    Files.createDirectories(control);
    Path clusterDir = base.resolve("cluster");
    // ZooKeeper's state and the replicas live only as long as the cluster: a
    // fresh start is a fresh cloud, as the test target wants.
    deleteTree(clusterDir);
    Files.createDirectories(clusterDir);
    if (System.getProperty("solr.install.dir") == null) {
      System.setProperty("solr.install.dir", clusterDir.toString());
    }

    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(0, clusterDir, JettyConfig.builder().build());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    cluster.shutdown();
                  } catch (Exception e) {
                    e.printStackTrace(err);
                  }
                },
                "satudata-solrcloud-shutdown"));
    List<JettySolrRunner> runners = new ArrayList<>();
    try {
      for (int k = 0; k < nodes; k++) {
        JettyConfig config =
            JettyConfig.builder().setPort(port + k).withPortRetryTime(0).stopAtShutdown(false).build();
        runners.add(cluster.startJettySolrRunner("node" + (k + 1), "/solr", config));
      }
      cluster.uploadConfigSet(Path.of(conf), "ckan");
      for (String name : collections) {
        CollectionAdminRequest.createCollection(name, "ckan", 1, replicas)
            .process(cluster.getSolrClient());
        cluster.waitForActiveCollection(name, 120, TimeUnit.SECONDS, 1, replicas);
      }
    } catch (Exception e) {
      e.printStackTrace(err);
      System.exit(1);
    }
    out.println("SOLRCLOUD READY zk=" + cluster.getZkServer().getZkAddress() + " port=" + port
        + " nodes=" + nodes);

    while (true) {
      for (int k = 1; k <= nodes; k++) {
        Path stop = control.resolve("stop-" + k);
        Path start = control.resolve("start-" + k);
        if (Files.deleteIfExists(stop)) {
          cluster.stopJettySolrRunner(runners.get(k - 1));
          cluster.waitForJettyToStop(runners.get(k - 1));
          out.println("NODE " + k + " STOPPED");
        }
        if (Files.deleteIfExists(start)) {
          runners.set(k - 1, cluster.startJettySolrRunner(runners.get(k - 1)));
          cluster.waitForNode(runners.get(k - 1), 60);
          for (String name : collections) {
            cluster.waitForActiveCollection(name, 120, TimeUnit.SECONDS, 1, replicas);
          }
          out.println("NODE " + k + " STARTED");
        }
      }
      Thread.sleep(200);
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void usage(String why) {
    System.err.println("satudata-solrcloud: " + why);
    System.err.println(
        "usage: SolrCloudLauncher --dir DIR --port N --conf CONFDIR --collection NAME..."
            + " [--nodes 2] [--replicas 2]");
    System.exit(2);
  }
}
