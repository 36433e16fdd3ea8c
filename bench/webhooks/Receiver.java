import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver for the benchmark: answers 200 at once and records, per delivery, the time from the event's
 * timestamp (taken in the committing transaction) to its arrival here. GET /stats prints count, rate and p50/p99 since
 * the last POST /reset. Run: java bench/webhooks/Receiver.java PORT
 */
public class Receiver {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    private static final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private static volatile long since = System.nanoTime();
    private static volatile long last = System.nanoTime();

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = TIMESTAMP.matcher(body);
            if (m.find()) {
                long micros = java.time.Duration.between(Instant.parse(m.group(1)), Instant.now()).toNanos() / 1000;
                latencies.add(micros);
                last = System.nanoTime();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/reset", exchange -> {
            latencies.clear();
            since = System.nanoTime();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/stats", exchange -> {
            List<Long> copy;
            synchronized (latencies) {
                copy = new ArrayList<>(latencies);
            }
            Collections.sort(copy);
            double seconds = Math.max(1e-9, (last - since) / 1e9);
            String text = copy.isEmpty()
                    ? "deliveries 0\n"
                    : String.format(
                            "deliveries %d in %.1f s (%.0f/s until the last one), commit->receiver p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                            copy.size(),
                            seconds,
                            copy.size() / seconds,
                            copy.get(copy.size() / 2) / 1000.0,
                            copy.get((int) (copy.size() * 0.99)) / 1000.0,
                            copy.getLast() / 1000.0);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        System.out.println("receiver on " + args[0]);
    }
}
