import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSE fan-out: SUBSCRIBERS streams on one thread, then ROUNDS messages posted one at a time. Latency of a delivery =
 * time the event line reached the subscriber minus the time the POST was sent (so it includes the commit, NOTIFY,
 * LISTEN, dispatch and the write). Run with JDK 25: java SseFanout.java BASE SUBSCRIBER_TOKEN POSTER_TOKEN THREAD_ID SUBSCRIBERS ROUNDS
 */
public class SseFanout {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String posterToken = args[2];
        String thread = args[3];
        int subscribers = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);

        long[][] arrival = new long[rounds][subscribers];
        long[] sentAt = new long[rounds];
        long[] answeredAt = new long[rounds];
        CountDownLatch connected = new CountDownLatch(subscribers);
        CountDownLatch[] delivered = new CountDownLatch[rounds];
        for (int r = 0; r < rounds; r++) {
            delivered[r] = new CountDownLatch(subscribers);
        }
        AtomicInteger failed = new AtomicInteger();
        // Several clients, so one selector thread does not serialise a thousand streams.
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build());
        }
        long openStarted = System.nanoTime();
        // Clients arrive 50 at a time rather than in one instant: the server checks each token and membership in
        // PostgreSQL, and a thousand simultaneous connects would only measure the connection pool's queue.
        Semaphore opening = new Semaphore(50);
        for (int s = 0; s < subscribers; s++) {
            int subscriber = s;
            opening.acquire();
            Thread.ofVirtual().start(() -> {
                boolean released = false;
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/thread/" + thread + "/events"))
                            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
                    HttpResponse<InputStream> response = clients.get(subscriber % clients.size())
                            .send(request, HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        failed.incrementAndGet();
                        connected.countDown();
                        opening.release();
                        released = true;
                        return;
                    }
                    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith(":connected")) {
                            connected.countDown();
                            opening.release();
                            released = true;
                        } else if (line.startsWith("data:")) {
                            long now = System.nanoTime();
                            int at = line.indexOf("fanout-");
                            if (at >= 0) {
                                int end = line.indexOf('"', at);
                                int round = Integer.parseInt(line.substring(at + 7, end));
                                if (round < rounds && arrival[round][subscriber] == 0) {
                                    arrival[round][subscriber] = now;
                                    delivered[round].countDown();
                                }
                            }
                        }
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    connected.countDown();
                    if (!released) {
                        opening.release();
                    }
                }
            });
        }
        if (!connected.await(120, TimeUnit.SECONDS)) {
            System.out.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
        }
        System.out.printf("subscribers connected: %d of %d in %d ms (failed %d)%n", subscribers - failed.get(),
                subscribers, Duration.ofNanos(System.nanoTime() - openStarted).toMillis(), failed.get());
        Thread.sleep(1000);

        HttpClient poster = HttpClient.newHttpClient();
        long[] allWithin = new long[rounds];
        int missing = 0;
        for (int r = 0; r < rounds; r++) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/thread/" + thread + "/bench2"))
                    .header("Authorization", "Bearer " + posterToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"fanout-" + r + "\"}")).build();
            sentAt[r] = System.nanoTime();
            int status = poster.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            answeredAt[r] = System.nanoTime();
            if (status != 204) {
                System.out.println("post answered " + status);
            }
            if (!delivered[r].await(10, TimeUnit.SECONDS)) {
                missing += (int) delivered[r].getCount();
            }
            long last = 0;
            for (long t : arrival[r]) {
                last = Math.max(last, t);
            }
            allWithin[r] = last == 0 ? -1 : last - sentAt[r];
            Thread.sleep(300);
        }

        List<Long> latencies = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < subscribers; s++) {
                if (arrival[r][s] != 0) {
                    latencies.add(arrival[r][s] - sentAt[r]);
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] postTimes = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            postTimes[r] = answeredAt[r] - sentAt[r];
        }
        Arrays.sort(postTimes);
        long[] rounded = Arrays.stream(allWithin).sorted().toArray();
        System.out.printf("RESULT subscribers=%d rounds=%d deliveries=%d missing=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
                        + "max_ms=%.2f all_delivered_median_ms=%.2f all_delivered_worst_ms=%.2f%n",
                subscribers, rounds, sorted.length, missing, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), ms(percentile(rounded, 50)),
                ms(rounded[rounded.length - 1]));
        StringBuilder perRound = new StringBuilder("rounds, ms until the last subscriber had it:");
        for (long within : allWithin) {
            perRound.append(' ').append(within < 0 ? "-" : String.format("%.0f", ms(within)));
        }
        System.out.println(perRound);
        System.out.printf("RESULT post_round_trip_p50_ms=%.2f post_round_trip_max_ms=%.2f "
                        + "(delivery latency includes this POST: commit, NOTIFY, LISTEN, dispatch, write)%n",
                ms(percentile(postTimes, 50)), ms(postTimes[postTimes.length - 1]));
        System.exit(0);
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
