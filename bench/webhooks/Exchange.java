import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The HTTP exchange alone: what one webhook delivery costs the two cores before any database work. Sends
 * {@code RATE} deliveries a second to bench/webhooks/Receiver.java the way Relay's delivery job does (a batch every
 * 100 ms, each delivery on a virtual thread, 16 in flight, Apache HttpClient 5 over kept-alive connections, a body of a
 * lead.created's size, Standard Webhooks headers) and prints the CPU per delivery of this client and of the receiver
 * (whose pid is the third argument). Run by bench/webhooks/exchange.sh.
 */
public class Exchange {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rate = Integer.parseInt(args[1]);
        long receiverPid = Long.parseLong(args[2]);
        int seconds = Integer.parseInt(args[3]);
        byte[] body = ("{\"type\":\"lead.created\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"id\":1,\"name\":\""
                        + "x".repeat(480) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(1024)
                        .setMaxConnTotal(1024)
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .build()) {
            run(http, url, body, rate, Integer.parseInt(args[4])); // warm-up: the JIT, the connections
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long client = os.getProcessCpuTime();
            long receiver = ticks(receiverPid);
            int sent = run(http, url, body, rate, seconds);
            double clientUs = (os.getProcessCpuTime() - client) / 1e3 / sent;
            double receiverUs = (ticks(receiverPid) - receiver) * 1e6 / 100.0 / sent; // USER_HZ 100
            System.out.printf(
                    "exchange at %d deliveries/s (%d sent): client %.0f us, receiver %.0f us, together %.0f us of CPU"
                            + " per delivery%n",
                    rate, sent, clientUs, receiverUs, clientUs + receiverUs);
        }
    }

    /** Sends rate/10 deliveries every 100 ms for the given seconds; returns how many got a 200. */
    private static int run(CloseableHttpClient http, String url, byte[] body, int rate, int seconds)
            throws Exception {
        int perBatch = Math.max(1, rate / 10);
        int ok = 0;
        long start = System.nanoTime();
        for (int batch = 0; batch < seconds * 10; batch++) {
            long due = start + batch * 100_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Semaphore inFlight = new Semaphore(16);
            List<Future<Integer>> outcomes = new ArrayList<>(perBatch);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < perBatch; i++) {
                    String id = "msg_" + batch + "_" + i;
                    outcomes.add(threads.submit(() -> {
                        inFlight.acquire();
                        try {
                            HttpPost post = new HttpPost(url);
                            post.setHeader("webhook-id", id);
                            post.setHeader("webhook-timestamp", Long.toString(Instant.now().getEpochSecond()));
                            post.setHeader("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
                            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                            try (var response = http.executeOpen(null, post, null)) {
                                response.getEntity().getContent().readNBytes(1024);
                                return response.getCode();
                            }
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
            for (Future<Integer> outcome : outcomes) {
                ok += outcome.get() == 200 ? 1 : 0;
            }
        }
        return ok;
    }

    private static long ticks(long pid) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
    }
}
