package perf

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// requestTimeout bounds one API call: slower is an error, not a figure.
const requestTimeout = 60 * time.Second

// apiClient is one user of the API: a workstation with its own address
// (the server limits sign-ins per address) and, once signed in, a token.
type apiClient struct {
	base  string
	http  *http.Client
	token string
}

// newHTTPClient is an HTTP client whose connections come from the loopback
// address source (any of 127.0.0.0/8 reaches a server on 127.0.0.1), so
// that the server sees each simulated workstation as its own address.
func newHTTPClient(source string) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	return &http.Client{Timeout: requestTimeout, Transport: &http.Transport{DialContext: dialer.DialContext,
		MaxIdleConnsPerHost: 8, IdleConnTimeout: time.Minute}}
}

// newClient is a client of the server at base from address source.
func newClient(base, source string) *apiClient {
	return &apiClient{base: base, http: newHTTPClient(source)}
}

// statusError is an answer other than 2xx.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.method, e.path, e.status, e.body)
}

// call sends a request with a JSON body (nil: none), decodes a 2xx answer
// into out (nil: discards it) and returns how long it took, the answer
// read whole. Any other status is an error.
func (c *apiClient) call(ctx context.Context, method, path string, body, out any) (time.Duration, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	if resp.StatusCode/100 != 2 {
		return took, &statusError{method: method, path: path, status: resp.StatusCode, body: string(data[:min(len(data), 300)])}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return took, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return took, nil
}

// get is call with GET and no body.
func (c *apiClient) get(ctx context.Context, path string, out any) error {
	_, err := c.call(ctx, http.MethodGet, path, nil, out)
	return err
}

// login signs in (POST /api/session) and keeps the session's token.
func (c *apiClient) login(ctx context.Context, username, password string) error {
	var s struct {
		Token string `json:"token"`
	}
	in := map[string]string{"username": username, "password": password}
	if _, err := c.call(ctx, http.MethodPost, "/api/session", in, &s); err != nil {
		return err
	}
	if s.Token == "" {
		return fmt.Errorf("login %s: no token", username)
	}
	c.token = s.Token
	return nil
}
