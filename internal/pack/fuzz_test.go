package pack

import (
	"bytes"
	"os"
	"testing"
)

func FuzzVerify(f *testing.F) {
	key, pub := keyPair(f)
	good, _ := os.ReadFile(samplePackage(f, key))
	f.Add(good)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(bytes.NewReader(data), int64(len(data)), []byte(pub))
		if err == nil && len(rep.Manifest.Files) == 0 {
			t.Fatal("verified a package that lists no files")
		}
	})
}

func FuzzReadReceipt(f *testing.F) {
	_, pub := keyPair(f)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ReadReceipt(bytes.NewReader(data), []byte(pub)); err == nil {
			t.Fatal("a random receipt verified")
		}
	})
}
