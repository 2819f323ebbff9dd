// attack: reach the host and the outside world from JavaScript: the host's loopback listeners (TCP, UDP, an abstract unix name), Redis, its routed address, outside addresses over IPv4 and IPv6, DNS, HTTP and HTTPS, broadcast, unix sockets at the paths hosts serve them
// tests: probe tcp-host-loopback tcp-v6-loopback tcp-redis tcp-host-address tcp-outside tcp-outside-v6 udp-outside udp-broadcast udp-host-loopback=sent unix-abstract-host unix-docker unix-redis dns-lookup dns-resolve http-outside https-outside

// include "probe.js.inc"

const net = require("net");
const dgram = require("dgram");

// A connection: resolves when it was made, rejects with the error that refused it.
function connect(options) {
    return new Promise((resolve, reject) => {
        const socket = net.connect(options, () => {
            socket.destroy();
            resolve("connected");
        });
        socket.setTimeout(1000, () => {
            socket.destroy();
            reject(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }));
        });
        socket.on("error", reject);
    });
}

async function udp(host, port, times) {
    const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    try {
        await new Promise((resolve, reject) => {
            socket.once("error", reject);
            socket.bind(0, () => {
                socket.setBroadcast(true);
                resolve();
            });
        });
        for (let i = 0; i < times; i++) {
            await new Promise((resolve, reject) => socket.send("escaped", port, host, (e) => (e ? reject(e) : resolve())));
        }
        return "sent";
    } finally {
        socket.close();
    }
}

function fetchUrl(url) {
    const client = require(url.startsWith("https") ? "https" : "http");
    return new Promise((resolve, reject) => {
        const request = client.get(url, { timeout: 1000 }, (response) => resolve(`status ${response.statusCode}`));
        request.on("timeout", () => request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
        request.on("error", reject);
    });
}

(async () => {
    await attemptAsync("tcp-host-loopback", "ECONNREFUSED", () => connect({ host: "127.0.0.1", port: @TCP_PORT@ }));
    await attemptAsync("tcp-v6-loopback", "", () => connect({ host: "::1", port: @TCP_PORT@ }));
    await attemptAsync("tcp-redis", "ECONNREFUSED", () => connect({ host: "127.0.0.1", port: 6379 }));
    await attemptAsync("tcp-host-address", "ENETUNREACH", () => connect({ host: "@HOST_ADDRESS@", port: @HOST_PORT@ }));
    await attemptAsync("tcp-outside", "ENETUNREACH", () => connect({ host: "1.1.1.1", port: 53 }));
    await attemptAsync("tcp-outside-v6", "", () => connect({ host: "2606:4700:4700::1111", port: 53 }));
    await attemptAsync("udp-outside", "ENETUNREACH", () => udp("8.8.8.8", 53, 1));
    await attemptAsync("udp-broadcast", "", () => udp("255.255.255.255", @UDP_PORT@, 1));
    // The jail's own loopback takes it: the host checks that nothing arrived.
    say("udp-host-loopback", await udp("127.0.0.1", @UDP_PORT@, 20).catch(() => "refused"));
    await attemptAsync("unix-abstract-host", "ECONNREFUSED", () => connect({ path: "\0@UNIX_NAME@" }));
    await attemptAsync("unix-docker", "", () => connect({ path: "/var/run/docker.sock" }));
    await attemptAsync("unix-redis", "", () => connect({ path: "/run/redis/redis-server.sock" }));
    await attemptAsync("dns-lookup", "", () => require("dns").promises.lookup("example.com"));
    const { Resolver } = require("dns").promises;
    await attemptAsync("dns-resolve", "", () => new Resolver({ timeout: 500, tries: 1 }).resolve4("example.com"));
    await attemptAsync("http-outside", "", () => fetchUrl("http://1.1.1.1/"));
    await attemptAsync("https-outside", "", () => fetchUrl("https://1.1.1.1/"));
})();
