package com.relaycrm.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks made before Spring starts, so that the two most common operator mistakes end in one clear line and a
 * non-zero exit instead of a page of stack trace.
 */
public final class StartupPreflight {

    private StartupPreflight() {}

    public static void checkOrExit(Map<String, String> env, String[] args) {
        String problem = firstProblem(env, args);
        if (problem != null) {
            System.err.println("Relay cannot start: " + problem);
            System.exit(2);
        }
    }

    static @Nullable String firstProblem(Map<String, String> env, String[] args) {
        String portText = setting(env, args, "server.port", "SERVER_PORT", "8080");
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            return "SERVER_PORT '" + portText + "' is not a port number";
        }
        if (port < 0 || port > 65535) {
            return "SERVER_PORT " + port + " is outside 0-65535";
        }
        if (port != 0 && !portFree(port)) {
            return "port " + port + " is already in use (set SERVER_PORT to use another port)";
        }
        boolean external = !setting(env, args, "spring.datasource.url", "SPRING_DATASOURCE_URL", "")
                        .isBlank()
                || !env.getOrDefault("DATABASE_URL", "").isBlank();
        if (!external) {
            Path dataDir = Path.of(setting(env, args, "relay.data-dir", "RELAY_DATA_DIR", "./data"));
            String dirProblem = writableDirectoryProblem(dataDir);
            if (dirProblem != null) {
                return "data directory " + dataDir.toAbsolutePath().normalize() + " " + dirProblem
                        + " (set RELAY_DATA_DIR to a writable directory)";
            }
        }
        return null;
    }

    private static String setting(
            Map<String, String> env, String[] args, String property, String variable, String fallback) {
        for (String arg : args) {
            if (arg.startsWith("--" + property + "=")) {
                return arg.substring(property.length() + 3);
            }
        }
        String system = System.getProperty(property);
        if (system != null) {
            return system;
        }
        return env.getOrDefault(variable, fallback);
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static @Nullable String writableDirectoryProblem(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return "is not a directory";
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            return "cannot be created";
        }
        if (!Files.isDirectory(dir)) {
            return "is not a directory";
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            return "is not writable";
        }
        return null;
    }
}
