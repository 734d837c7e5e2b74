import type { ServerResponse } from 'node:http';

/** Where open pages listen for rebuilds (Server-Sent Events). */
export const EVENTS_PATH = '/_preview/events';

/**
 * The script added to every HTML page the preview server sends (never to the files on
 * disk). The page knows the site version it was served at; on connecting, the server says
 * `hello` with the current version, and `reload` after each rebuild that changed
 * something: any other version than the page's reloads it, so an edit made between the
 * page load and the connection is not missed. A page framed by the toolbar leaves the
 * reloading to the toolbar (one connection per tab: browsers allow six per host).
 */
export function reloadScript(version: number): string {
  return (
    `<script data-aimq-preview-reload="">(function(){var v=${version};var f=null;try{f=window.frameElement}catch(e){}` +
    `if(f&&f.hasAttribute('data-aimq-preview'))return;if(!('EventSource' in window))return;` +
    `var s=new EventSource('${EVENTS_PATH}');function on(e){if(Number(e.data)!==v){s.close();location.reload()}}` +
    `s.addEventListener('hello',on);s.addEventListener('reload',on)})();</script>`
  );
}

/** Inserts `snippet` before the last `</body>`, or at the end when the page has none. */
export function injectBeforeBodyEnd(html: string, snippet: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? html + snippet : html.slice(0, at) + snippet + html.slice(at);
}

/** The open event streams, told about each rebuild. */
export class ReloadHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 20_000) {
    // A comment now and then keeps proxies and idle timeouts from closing quiet streams.
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': ping\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes over a response: event-stream headers, the reconnection delay and a `hello` with the current version. */
  add(res: ServerResponse, version: number, head: boolean): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    if (head) {
      res.end();
      return;
    }
    res.write(`retry: 1000\n\nevent: hello\ndata: ${version}\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  reload(version: number): void {
    for (const res of this.clients) res.write(`event: reload\ndata: ${version}\n\n`);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
