import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver for the benchmark: answers 200 at once and records, per delivery, the time from the event's
 * timestamp (taken in the committing transaction) to its arrival here. GET /stats prints count, rate and p50/p99 since
 * the last POST /reset. Run: java bench/webhooks/Receiver.java PORT [STATUS]
 *
 * <p>It speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) on a virtual thread per connection. A real
 * receiver runs on another machine; here it shares Relay's two cores, so it is kept as lean as a receiver can be
 * (the JDK's HttpServer took about 1.4 ms of CPU per delivery, as much as a third of Relay's create-lead request).
 */
public class Receiver {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    private static final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    /** Arrival (epoch ms) and latency (us) of each delivery, written to -Dtrace=DIR/trace-NAME.txt on /stats?NAME. */
    private static final List<long[]> trace = Collections.synchronizedList(new ArrayList<>());
    private static volatile long since = System.nanoTime();
    private static volatile long last = System.nanoTime();
    private static int hookStatus = 200;

    public static void main(String[] args) throws Exception {
        if (args.length > 1) {
            hookStatus = Integer.parseInt(args[1]);
        }
        ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 1000, InetAddress.getLoopbackAddress());
        System.out.println("receiver on " + args[0]);
        while (true) {
            Socket socket = server.accept();
            Thread.startVirtualThread(() -> serve(socket));
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                int length = 0;
                boolean close = false;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(lower.substring(15).trim());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                byte[] body = in.readNBytes(length);
                String[] parts = requestLine.split(" ");
                String path = parts.length > 1 ? parts[1] : "/";
                byte[] answer = handle(path, body);
                out.write(answer);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to record
        }
    }

    private static byte[] handle(String path, byte[] body) {
        if (path.startsWith("/hook")) {
            Matcher m = TIMESTAMP.matcher(new String(body, StandardCharsets.UTF_8));
            if (m.find()) {
                long micros = java.time.Duration.between(Instant.parse(m.group(1)), Instant.now())
                                .toNanos()
                        / 1000;
                latencies.add(micros);
                trace.add(new long[] {System.currentTimeMillis(), micros});
                last = System.nanoTime();
            }
            return response(hookStatus, "");
        }
        if (path.startsWith("/hang")) {
            try {
                Thread.sleep(Long.MAX_VALUE); // a receiver that is down but keeps the connection open
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (path.startsWith("/reset")) {
            latencies.clear();
            trace.clear();
            since = System.nanoTime();
            return response(204, "");
        }
        if (path.startsWith("/stats")) {
            int query = path.indexOf('?');
            return response(200, stats(query < 0 ? "stats" : path.substring(query + 1)));
        }
        return response(404, "");
    }

    private static String stats(String name) {
        String dir = System.getProperty("trace");
        if (dir != null && name.matches("[a-z0-9-]+")) {
            StringBuilder lines = new StringBuilder();
            synchronized (trace) {
                trace.forEach(t -> lines.append(t[0]).append(' ').append(t[1]).append('\n'));
            }
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "trace-" + name + ".txt"), lines);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<Long> copy;
        synchronized (latencies) {
            copy = new ArrayList<>(latencies);
        }
        Collections.sort(copy);
        double seconds = Math.max(1e-9, (last - since) / 1e9);
        return copy.isEmpty()
                ? "deliveries 0\n"
                : String.format(
                        "deliveries %d in %.1f s (%.0f/s until the last one), commit->receiver p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        copy.size(),
                        seconds,
                        copy.size() / seconds,
                        copy.get(copy.size() / 2) / 1000.0,
                        copy.get((int) (copy.size() * 0.99)) / 1000.0,
                        copy.getLast() / 1000.0);
    }

    private static byte[] response(int status, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status < 300 ? " OK" : " Error") + "\r\nContent-Length: "
                + (status == 204 ? 0 : content.length) + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        if (status == 204 || content.length == 0) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = text.length();
                return n > 0 && text.charAt(n - 1) == '\r' ? text.substring(0, n - 1) : text.toString();
            }
            text.append((char) c);
        }
        return text.isEmpty() ? null : text.toString();
    }
}
