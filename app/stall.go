package app

import (
	"io"
	"net/http"
	"time"
)

// stallLimit is how long a request waits for its client to send more of
// its body, or to take more of a download. A client that stops without
// closing the connection (a laptop put to sleep mid-download, a visitor
// on the LAN sending a byte a minute) is cut off then: its request holds
// the gate (see wrap), so a restore, and every request after the restore,
// would wait for it.
const stallLimit = time.Minute

// pacedWriter is a response writer that gives each write limit to reach
// the client, on a connection that allows deadlines (not the desktop's
// in-process bridge: nothing there can stall).
type pacedWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	limit time.Duration
}

// paceWrites wraps w so that a write to a stalled client fails after limit.
func paceWrites(w http.ResponseWriter, limit time.Duration) pacedWriter {
	return pacedWriter{ResponseWriter: w, rc: http.NewResponseController(w), limit: limit}
}

func (p pacedWriter) Write(b []byte) (int, error) {
	_ = p.rc.SetWriteDeadline(time.Now().Add(p.limit)) // not supported by the bridge
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (p pacedWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// pacedBody is a request body each read of which waits limit at most.
type pacedBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	limit time.Duration
}

// paceReads makes r's body fail a read that waits longer than limit.
func paceReads(r *http.Request, w http.ResponseWriter, limit time.Duration) {
	r.Body = pacedBody{ReadCloser: r.Body, rc: http.NewResponseController(w), limit: limit}
}

func (p pacedBody) Read(b []byte) (int, error) {
	_ = p.rc.SetReadDeadline(time.Now().Add(p.limit)) // not supported by the bridge
	return p.ReadCloser.Read(b)
}
