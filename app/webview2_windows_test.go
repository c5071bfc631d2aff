//go:build windows

package app

import "testing"

// TestWebView2DetectionOnWindows runs the real detection: it must answer
// (under Wine, which has no WebView2: "missing"), and order versions as
// the decision expects.
func TestWebView2DetectionOnWindows(t *testing.T) {
	v, err := installedWebView2{}.Version()
	if err != nil {
		t.Fatalf("detection failed: %v", err)
	}
	check := checkWebView2(webView2)
	t.Logf("installed WebView2 runtime %q: %v", v, check.State)
	if (v == "") != (check.State == webView2Missing) {
		t.Errorf("version %q, yet %v", v, check.State)
	}
	for _, c := range []struct {
		v    string
		want int
	}{{"93.0.961.52", -1}, {"94.0.992.30", -1}, {minWebView2, 0}, {"120.0.2210.91", 1}} {
		if got, err := (installedWebView2{}).Compare(c.v, minWebView2); err != nil || got != c.want {
			t.Errorf("Compare(%s, %s) = %d, %v; want %d", c.v, minWebView2, got, err, c.want)
		}
	}
}
