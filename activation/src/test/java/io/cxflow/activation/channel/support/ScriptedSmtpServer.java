package io.cxflow.activation.channel.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server on 127.0.0.1 that answers with scripted replies, for the failures a real
 * relay gives (greylisting {@code 451}, unknown mailbox {@code 550}, {@code 421} at the greeting,
 * rejection after {@code DATA}). Every other command gets the usual success reply. It records the
 * commands it received and counts accepted messages.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** The points of the conversation a reply can be scripted for. */
    public enum Stage {
        GREETING,
        MAIL,
        RCPT,
        DATA,
        /** The reply to the end of the message ({@code .}). */
        END_OF_DATA
    }

    private final ServerSocket socket;
    private final Map<Stage, String> replies = new ConcurrentHashMap<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    public ScriptedSmtpServer() throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Replies with {@code reply} (e.g. {@code 451 4.7.1 try again later}) at {@code stage}. */
    public ScriptedSmtpServer reply(Stage stage, String reply) {
        replies.put(stage, reply);
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Messages accepted with {@code 250} after {@code DATA}. */
    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // closed, or the client went away: wait for the next connection
            }
        }
    }

    private void converse(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        BufferedReader in =
                new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        String greeting = replies.getOrDefault(Stage.GREETING, "220 scripted ESMTP");
        send(out, greeting);
        if (!greeting.startsWith("2")) {
            return;
        }
        String line;
        while ((line = in.readLine()) != null) {
            commands.add(line);
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
            switch (verb) {
                case "EHLO", "HELO" -> send(out, "250 scripted");
                case "MAIL" -> send(out, replies.getOrDefault(Stage.MAIL, "250 2.1.0 ok"));
                case "RCPT" -> send(out, replies.getOrDefault(Stage.RCPT, "250 2.1.5 ok"));
                case "DATA" -> {
                    String reply = replies.getOrDefault(Stage.DATA, "354 go ahead");
                    send(out, reply);
                    if (reply.startsWith("354")) {
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            // the message body is not kept
                        }
                        String end = replies.getOrDefault(Stage.END_OF_DATA, "250 2.0.0 queued");
                        if (end.startsWith("250")) {
                            accepted.incrementAndGet();
                        }
                        send(out, end);
                    }
                }
                case "QUIT" -> {
                    send(out, "221 bye");
                    return;
                }
                default -> send(out, "250 ok");
            }
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
            acceptor.join(5_000);
        } catch (IOException e) {
            // already closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
