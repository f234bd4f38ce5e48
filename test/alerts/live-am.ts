import { ChildProcess, spawn } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { parse } from "yaml";
import { AlertmanagerConfig, AmRoute } from "../../alerts/alertmanager";
import { toYaml } from "../../alerts/yaml";
import { requireBinary } from "./bin";

/** A webhook notification as the in-test server received it. */
export interface Delivery {
    /** Receiver named in the payload (and the URL path). */
    readonly receiver: string;
    /** Group status: firing or resolved. */
    readonly status: string;
    readonly alerts: readonly { readonly status: string; readonly labels: Readonly<Record<string, string>> }[];
    /** Date.now() at arrival. */
    readonly at: number;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}

/**
 * An HTTP server on 127.0.0.1 recording every request as `parse` reads it (path, body, arrival
 * time), answering 200 "ok" (what Slack's webhook answers); `next` awaits one.
 */
export class HttpSink<T> {
    readonly deliveries: T[] = [];
    readonly #events = new EventEmitter();
    readonly #server: http.Server;

    private constructor(server: http.Server, readonly port: number, private readonly describe: (d: T) => unknown) {
        this.#server = server;
    }

    /** Starts the server; `describe` shortens a delivery for the timeout message. */
    static async start<T>(parse: (path: string, body: string, at: number) => T, describe: (d: T) => unknown): Promise<HttpSink<T>> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const sink = new HttpSink(server, (server.address() as net.AddressInfo).port, describe);
        server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
            let body = "";
            req.on("data", (c: Buffer) => (body += c.toString()));
            req.on("end", () => {
                const d = parse(req.url ?? "/", body, Date.now());
                sink.deliveries.push(d);
                res.writeHead(200, { "content-type": "text/plain" }).end("ok");
                sink.#events.emit("delivery", d);
            });
        });
        return sink;
    }

    /** URL of `path` (without its leading /) on this server. */
    url(path: string): string {
        return `http://127.0.0.1:${this.port}/${path}`;
    }

    /** The first delivery (already received or future) matching `pred`; rejects after `timeoutMs`. */
    next(pred: (d: T) => boolean, timeoutMs: number, what: string): Promise<T> {
        const seen = this.deliveries.find(pred);
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const onDelivery = (d: T) => {
                if (!pred(d)) return;
                clearTimeout(timer);
                this.#events.off("delivery", onDelivery);
                resolve(d);
            };
            const timer = setTimeout(() => {
                this.#events.off("delivery", onDelivery);
                reject(new Error(`no delivery of ${what} within ${timeoutMs} ms; got: ${JSON.stringify(this.deliveries.map(this.describe))}`));
            }, timeoutMs);
            this.#events.on("delivery", onDelivery);
        });
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.#server.close(() => resolve()));
    }
}

/** A sink of Alertmanager webhook notifications (`webhook_configs`), one URL path per receiver. */
export type WebhookSink = HttpSink<Delivery>;

export function startWebhookSink(): Promise<WebhookSink> {
    return HttpSink.start((_path, body, at): Delivery => {
        const p = JSON.parse(body) as { receiver: string; status: string; alerts: Delivery["alerts"] };
        return { receiver: p.receiver, status: p.status, alerts: p.alerts.map((a) => ({ status: a.status, labels: a.labels })), at };
    }, (d) => [d.receiver, d.status, d.alerts.map((a) => a.labels.alertname)]);
}

/**
 * The rendered config with every receiver's integrations replaced by one webhook to `sink`, and
 * `groupInterval` set on every route. Routes, matchers, group_by, group_wait, repeat_interval and
 * inhibit rules stay as rendered.
 */
export function withWebhooks(rendered: string, sink: WebhookSink, groupInterval: string): AlertmanagerConfig {
    const cfg = parse(rendered) as AlertmanagerConfig;
    const shorten = (r: AmRoute): AmRoute => ({ ...r, group_interval: groupInterval, ...(r.routes ? { routes: r.routes.map(shorten) } : {}) });
    return {
        ...cfg,
        route: shorten(cfg.route),
        receivers: cfg.receivers.map((r) => ({ name: r.name, webhook_configs: [{ url: sink.url(r.name), send_resolved: true }] })),
    };
}

/** A running prometheus-alertmanager on 127.0.0.1 (no clustering, temp storage). */
export class LiveAlertmanager {
    private constructor(readonly process: ChildProcess, readonly url: string, readonly log: () => string) {}

    /** Starts it in `dir` (which holds `templates/`) with `cfg`; resolves once it listens (bounded: 15 s). */
    static async start(dir: string, cfg: AlertmanagerConfig): Promise<LiveAlertmanager> {
        const bin = requireBinary("prometheus-alertmanager");
        fs.writeFileSync(path.join(dir, "alertmanager.yml"), toYaml(cfg));
        const port = await freePort();
        const proc = spawn(bin, [
            `--config.file=${path.join(dir, "alertmanager.yml")}`,
            `--storage.path=${path.join(dir, "data")}`,
            `--web.listen-address=127.0.0.1:${port}`,
            "--cluster.listen-address=",
        ], { stdio: ["ignore", "ignore", "pipe"] });
        let log = "";
        const am = new LiveAlertmanager(proc, `http://127.0.0.1:${port}`, () => log);
        try {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`alertmanager did not listen within 15 s:\n${log}`)), 15_000);
                proc.once("error", (e) => { clearTimeout(timer); reject(e); });
                proc.once("exit", (code) => { clearTimeout(timer); reject(new Error(`alertmanager exited (${code}):\n${log}`)); });
                proc.stderr!.on("data", (c: Buffer) => {
                    log += c.toString();
                    if (log.includes(`msg="Listening on" address=127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); }
                });
            });
        } catch (e) {
            await am.stop();
            throw e;
        }
        return am;
    }

    /** POSTs alerts to /api/v2/alerts. */
    async post(alerts: readonly { labels: Record<string, string>; startsAt: string; endsAt?: string }[]): Promise<void> {
        const res = await fetch(`${this.url}/api/v2/alerts`, {
            method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts), signal: AbortSignal.timeout(5_000),
        });
        if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    }

    /** GET /api/v2/alerts (including suppressed ones). */
    async alerts(): Promise<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] }; fingerprint: string }[]> {
        const res = await fetch(`${this.url}/api/v2/alerts?silenced=true&inhibited=true&active=true`, { signal: AbortSignal.timeout(5_000) });
        return (await res.json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] }; fingerprint: string }[];
    }

    /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
    async stop(): Promise<void> {
        const p = this.process;
        if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
        await new Promise<void>((resolve) => {
            const kill = setTimeout(() => p.kill("SIGKILL"), 5_000);
            p.once("exit", () => { clearTimeout(kill); resolve(); });
            p.kill("SIGTERM");
        });
    }
}
