package store

import "os"

// ReplaceFile writes data as the whole of path, readable by its owner only:
// to a temporary file beside it, synced through the one handle that wrote
// it (Windows refuses to flush a handle opened read-only), then renamed
// over path, so a crash leaves the old file or the new one, never half.
func ReplaceFile(path string, data []byte) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
