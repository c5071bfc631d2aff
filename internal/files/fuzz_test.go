package files

import (
	"bytes"
	"io"
	"testing"
)

func FuzzPut(f *testing.F) {
	for _, s := range [][]byte{[]byte("%PDF-1.7\n"), []byte("\x89PNG\r\n\x1a\n"), []byte("\xff\xd8\xff\xe0"), []byte("MZ\x90\x00"), nil} {
		f.Add(s, "scan.pdf")
	}
	s := NewStore(f.TempDir())
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		file, err := s.Put(bytes.NewReader(data), name)
		if err != nil {
			return
		}
		if Sniff(data) != file.Type || file.Size != int64(len(data)) {
			t.Fatalf("stored %+v for %d bytes sniffed as %q", file, len(data), Sniff(data))
		}
		if bytes.ContainsAny([]byte(file.Name), "/\\\x00") || checkName(file.Name) != nil {
			t.Fatalf("unsafe name %q", file.Name)
		}
		in, err := s.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		if back, err := io.ReadAll(in); err != nil || !bytes.Equal(back, data) {
			t.Fatalf("read back %d bytes: %v", len(back), err)
		}
	})
}
