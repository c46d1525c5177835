// The slice of gstreamer-superficial 1.7.4 (CommonJS, untyped, native) the media worker uses.
// Only the worker process imports it: GStreamer never runs inside the daemon.

declare module 'gstreamer-superficial' {
  /** A bus message: `type` is GStreamer's message type name ("error", "eos", "state-changed" …). */
  export interface BusMessage {
    type: string;
    _src_element_name: string;
    /** For errors: the element path and the error text. */
    name?: string;
    message?: string;
    [field: string]: unknown;
  }

  /** An element found by name; its GObject properties read and write as JS properties. */
  export interface GstElement {
    [property: string]: unknown;
    /** appsink only: one sample (or null at EOS/stop) per call; call again from the callback. */
    pull?(cb: (buf: Buffer | null, caps: Record<string, unknown>) => void): void;
    /** appsrc only. */
    push?(buf: Buffer, pts?: Buffer): void;
  }

  export class Pipeline {
    /** Throws when the description does not parse (unknown element, bad property). */
    constructor(description: string);
    play(): void;
    pause(): void;
    /** To NULL: stops every streaming thread; a pending appsink pull returns null. */
    stop(): void;
    /**
     * patches/gstreamer-superficial+1.7.4.patch: to NULL and frees the GStreamer pipeline now (its elements,
     * bus, sockets, threads). Unpatched, a pipeline was never freed (4 fds kept per camera ingest attempt).
     * Any other method afterwards throws, stop() excepted; a pending bus poll or appsink pull ends.
     */
    destroy(): void;
    sendEOS(): void;
    /** Sends an upstream force-key-unit event from the named element's sink pad. */
    forceKeyUnit(element: string, count: number): boolean;
    findChild(name: string): GstElement | undefined;
    /** e.g. setPad('sel', 'active-pad', 'sink_1'): switches an input-selector. */
    setPad(element: string, property: string, pad: string): void;
    /** Calls back for every bus message until the pipeline is stopped; holds one libuv pool thread. */
    pollBus(cb: (msg: BusMessage) => void): void;
  }

  const gst: { Pipeline: typeof Pipeline };
  export default gst;
}
