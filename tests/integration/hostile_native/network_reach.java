// attack: reach the host and the outside world from Java: the host's loopback listeners (TCP, UDP), Redis, its routed address, outside addresses over IPv4 and IPv6, DNS, HTTP, broadcast and multicast, SCTP, unix sockets at the paths hosts serve them
// tests: probe tcp-host-loopback tcp-v6-loopback tcp-redis tcp-host-address tcp-outside tcp-outside-v6 udp-outside udp-broadcast udp-multicast udp-host-loopback=sent dns-lookup http-outside sctp-host-loopback unix-docker unix-redis

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

// include "probe.java.inc"

public class Network {
    static Object tcp(String host, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return "connected";
        }
    }

    static Object udp(String host, int port, int times) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setBroadcast(true);
            byte[] data = "escaped".getBytes();
            for (int i = 0; i < times; i++) {
                socket.send(new DatagramPacket(data, data.length, InetAddress.getByName(host), port));
            }
            return "sent";
        }
    }

    static Object unix(String path) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return "connected";
        }
    }

    public static void main(String[] args) throws Exception {
        String unreachable = "Network is unreachable";
        Probe.attempt("tcp-host-loopback", "Connection refused", () -> tcp("127.0.0.1", @TCP_PORT@));
        Probe.attempt("tcp-v6-loopback", "", () -> tcp("::1", @TCP_PORT@));
        Probe.attempt("tcp-redis", "Connection refused", () -> tcp("127.0.0.1", 6379));
        Probe.attempt("tcp-host-address", unreachable, () -> tcp("@HOST_ADDRESS@", @HOST_PORT@));
        Probe.attempt("tcp-outside", unreachable, () -> tcp("1.1.1.1", 53));
        Probe.attempt("tcp-outside-v6", "", () -> tcp("2606:4700:4700::1111", 53));
        Probe.attempt("udp-outside", unreachable, () -> udp("8.8.8.8", 53, 1));
        Probe.attempt("udp-broadcast", "", () -> udp("255.255.255.255", @UDP_PORT@, 1));
        Probe.attempt("udp-multicast", "", () -> udp("239.255.255.250", 1900, 1));
        // The jail's own loopback takes it: the host checks that nothing arrived.
        String sent;
        try {
            sent = String.valueOf(udp("127.0.0.1", @UDP_PORT@, 20));
        } catch (Exception refused) {
            sent = "refused";
        }
        Probe.say("udp-host-loopback", sent);
        Probe.attempt("dns-lookup", "UnknownHostException", () -> InetAddress.getByName("example.com"));
        Probe.attempt("http-outside", "", () -> new URL("http://1.1.1.1/").openStream().read());
        // SCTP needs the host's libsctp; where the JDK finds it, the socket is an inet one.
        Probe.attempt("sctp-host-loopback", "", () -> com.sun.nio.sctp.SctpChannel.open(new InetSocketAddress("127.0.0.1", @TCP_PORT@), 1, 1));
        Probe.attempt("unix-docker", "", () -> unix("/var/run/docker.sock"));
        Probe.attempt("unix-redis", "", () -> unix("/run/redis/redis-server.sock"));
    }
}
