package pack

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// bigSources writes n files of size bytes of random (incompressible) data,
// stored as scans are.
func bigSources(t testing.TB, n, size int) []Source {
	t.Helper()
	dir, buf := t.TempDir(), make([]byte, size)
	var out []Source
	for i := range n {
		rand.Read(buf)
		p := filepath.Join(dir, "scan"+string(rune('a'+i))+".pdf")
		if err := os.WriteFile(p, buf, 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, FromFile("scan/"+filepath.Base(p), p, false))
	}
	return out
}

func TestTheResultNamesThePackagesSizeAndHash(t *testing.T) {
	key, pub := keyPair(t)
	dest := filepath.Join(t.TempDir(), "package.zip")
	res, err := Write(context.Background(), dest, Spec{Created: time.Now()}, bigSources(t, 3, 1<<20+7), key, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	sum, err := SM3Of(f)
	if err != nil || res.SM3 != sum || res.Size != st.Size() {
		t.Fatalf("result %+v; file %d bytes, SM3 %s (%v)", res, st.Size(), sum, err)
	}
	if _, err := verifyFile(dest, []byte(pub)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkWrite seals 8 stored files of 32 MB, the bulk of a real
// package (scans and PDFs); compare with openssl dgst -sm3 on the files.
func BenchmarkWrite(b *testing.B) {
	key, _ := keyPair(b)
	sources := bigSources(b, 8, 32<<20)
	dest := filepath.Join(b.TempDir(), "package.zip")
	b.SetBytes(8 * 32 << 20)
	for b.Loop() {
		if _, err := Write(context.Background(), dest, Spec{Created: time.Now()}, sources, key, func(int, int) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks the package BenchmarkWrite seals.
func BenchmarkVerify(b *testing.B) {
	key, pub := keyPair(b)
	dest := filepath.Join(b.TempDir(), "package.zip")
	if _, err := Write(context.Background(), dest, Spec{Created: time.Now()}, bigSources(b, 8, 32<<20), key, func(int, int) {}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(8 * 32 << 20)
	for b.Loop() {
		if _, err := verifyFile(dest, []byte(pub)); err != nil {
			b.Fatal(err)
		}
	}
}
