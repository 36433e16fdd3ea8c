import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSE fan-out: SUBSCRIBERS streams on one thread, then FANOUT_WARMUP (3) uncounted and ROUNDS counted messages posted
 * one at a time, read by one selector thread. Latency of a delivery =
 * time the event line reached the subscriber minus the time the POST was sent (so it includes the commit, NOTIFY,
 * LISTEN, dispatch and the write). Run with JDK 25: java SseFanout.java BASE SUBSCRIBER_TOKEN POSTER_TOKEN THREAD_ID SUBSCRIBERS ROUNDS [RELAY_PID]
 */
public class SseFanout {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String posterToken = args[2];
        String thread = args[3];
        int subscribers = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        // Rounds before the measured ones, so the first event does not measure the JIT compiling the write path
        // (the posting benchmark warms up for the same reason). They are printed, not counted.
        int warmups = Integer.parseInt(System.getenv().getOrDefault("FANOUT_WARMUP", "3"));
        int total = warmups + rounds;

        long[][] arrival = new long[total][subscribers];
        long[] sentAt = new long[total];
        long[] answeredAt = new long[total];
        CountDownLatch connected = new CountDownLatch(subscribers);
        CountDownLatch[] delivered = new CountDownLatch[total];
        for (int r = 0; r < total; r++) {
            delivered[r] = new CountDownLatch(subscribers);
        }
        AtomicInteger failed = new AtomicInteger();
        long openStarted = System.nanoTime();
        // One selector thread reads every stream. Per-stream threads over the JDK HttpClient cost this client
        // about twice the server's CPU per delivery, on the same two cores, and that showed up as server latency.
        Thread reader = Thread.ofPlatform().daemon().name("sse-subscribers").start(() -> {
            try {
                readStreams(URI.create(base), thread, token, subscribers, total, arrival, connected, delivered, failed);
            } catch (IOException e) {
                e.printStackTrace();
            }
        });
        if (!connected.await(120, TimeUnit.SECONDS)) {
            System.out.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
        }
        System.out.printf("subscribers connected: %d of %d in %d ms (failed %d)%n", subscribers - failed.get(),
                subscribers, Duration.ofNanos(System.nanoTime() - openStarted).toMillis(), failed.get());
        Thread.sleep(1000);

        HttpClient poster = HttpClient.newHttpClient();
        long serverCpuBefore = -1;
        long clientCpuBefore = 0;
        long[] allWithin = new long[total];
        int missing = 0;
        for (int r = 0; r < total; r++) {
            if (r == warmups) {
                serverCpuBefore = serverCpu(args);
                clientCpuBefore = clientCpu();
            }
            HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/thread/" + thread + "/bench2"))
                    .header("Authorization", "Bearer " + posterToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"fanout-" + r + "\"}")).build();
            sentAt[r] = System.nanoTime();
            int status = poster.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            answeredAt[r] = System.nanoTime();
            if (status != 204) {
                System.out.println("post answered " + status);
            }
            if (!delivered[r].await(10, TimeUnit.SECONDS) && r >= warmups) {
                missing += (int) delivered[r].getCount();
            }
            long last = 0;
            for (long t : arrival[r]) {
                last = Math.max(last, t);
            }
            allWithin[r] = last == 0 ? -1 : last - sentAt[r];
            Thread.sleep(300);
        }

        long serverCpu = serverCpu(args) - serverCpuBefore;
        long clientCpu = clientCpu() - clientCpuBefore;
        List<Long> latencies = new ArrayList<>();
        for (int r = warmups; r < total; r++) {
            for (int s = 0; s < subscribers; s++) {
                if (arrival[r][s] != 0) {
                    latencies.add(arrival[r][s] - sentAt[r]);
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] postTimes = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            postTimes[r] = answeredAt[warmups + r] - sentAt[warmups + r];
        }
        Arrays.sort(postTimes);
        long[] rounded = Arrays.stream(allWithin, warmups, total).sorted().toArray();
        System.out.printf("RESULT subscribers=%d rounds=%d deliveries=%d missing=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
                        + "max_ms=%.2f all_delivered_median_ms=%.2f all_delivered_worst_ms=%.2f%n",
                subscribers, rounds, sorted.length, missing, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), ms(percentile(rounded, 50)),
                ms(rounded[rounded.length - 1]));
        StringBuilder perRound = new StringBuilder("rounds, ms until the last subscriber had it: warm-up");
        for (int r = 0; r < total; r++) {
            perRound.append(r == warmups ? " | measured " : " ")
                    .append(allWithin[r] < 0 ? "-" : String.format("%.0f", ms(allWithin[r])));
        }
        System.out.println(perRound);
        System.out.printf("RESULT post_round_trip_p50_ms=%.2f post_round_trip_max_ms=%.2f "
                        + "(delivery latency includes this POST: commit, NOTIFY, LISTEN, dispatch, write)%n",
                ms(percentile(postTimes, 50)), ms(postTimes[postTimes.length - 1]));
        if (serverCpuBefore >= 0) {
            // Both include the 300 ms pauses between rounds, in which neither side has anything to do.
            System.out.printf("RESULT cpu_during_rounds server_ms=%d client_ms=%d%n", serverCpu / 1_000_000,
                    clientCpu / 1_000_000);
        }
        System.exit(0);
    }

    /** CPU time of the Relay process (pid in the optional 7th argument), from /proc; -1 without it. */
    private static long serverCpu(String[] args) {
        if (args.length < 7) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", args[6], "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    private static long clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One subscriber's connection: what it has read so far, as Latin-1 text (the markers are ASCII). */
    private static final class Stream {
        final int index;
        final ByteBuffer request;
        final StringBuilder text = new StringBuilder();
        boolean headersDone;
        boolean counted;

        Stream(int index, ByteBuffer request) {
            this.index = index;
            this.request = request;
        }
    }

    /**
     * Opens the streams 50 at a time (the server checks each token and membership in PostgreSQL; a thousand
     * simultaneous connects would only measure the pool's queue) and records when each round's event arrives on
     * each. The events are found by their text ("fanout-N") in the chunked body, so chunk framing needs no parsing.
     */
    private static void readStreams(URI base, String thread, String token, int subscribers, int rounds,
            long[][] arrival, CountDownLatch connected, CountDownLatch[] delivered, AtomicInteger failed)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        byte[] request = ("GET /thread/" + thread + "/events HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int opened = 0;
        int opening = 0;
        while (true) {
            while (opened < subscribers && opening < 50) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                channel.register(selector, SelectionKey.OP_CONNECT, new Stream(opened, ByteBuffer.wrap(request)));
                opened++;
                opening++;
            }
            selector.select(1000);
            for (SelectionKey key : selector.selectedKeys()) {
                Stream stream = (Stream) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable() && channel.finishConnect()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                    }
                    if (key.isValid() && key.isWritable()) {
                        channel.write(stream.request);
                        if (!stream.request.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isValid() && key.isReadable()) {
                        buffer.clear();
                        int read = channel.read(buffer);
                        long now = System.nanoTime();
                        if (read < 0) {
                            throw new IOException("stream " + stream.index + " closed by the server");
                        }
                        stream.text.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                        if (!stream.headersDone) {
                            int end = stream.text.indexOf("\r\n\r\n");
                            if (end < 0) {
                                continue;
                            }
                            if (!stream.text.substring(0, 12).equals("HTTP/1.1 200")) {
                                throw new IOException("stream " + stream.index + ": " + stream.text.substring(0, 12));
                            }
                            stream.headersDone = true;
                            stream.text.delete(0, end + 4);
                        }
                        if (!stream.counted && stream.text.indexOf(":connected") >= 0) {
                            stream.counted = true;
                            opening--;
                            connected.countDown();
                        }
                        int at;
                        while ((at = stream.text.indexOf("fanout-")) >= 0) {
                            int close = stream.text.indexOf("\"", at);
                            if (close < 0) {
                                break;
                            }
                            int round = Integer.parseInt(stream.text.substring(at + 7, close));
                            if (round < rounds && arrival[round][stream.index] == 0) {
                                arrival[round][stream.index] = now;
                                delivered[round].countDown();
                            }
                            stream.text.delete(0, close);
                        }
                        // Keep only a tail that could hold the start of a marker split across reads.
                        if (stream.text.length() > 64) {
                            stream.text.delete(0, stream.text.length() - 64);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    key.cancel();
                    channel.close();
                    if (!stream.counted) {
                        stream.counted = true;
                        opening--;
                        failed.incrementAndGet();
                        connected.countDown();
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
