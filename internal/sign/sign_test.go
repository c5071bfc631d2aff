package sign_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"huicai/internal/audit"
	"huicai/internal/sign"
	"huicai/internal/testdb"
)

var (
	ctx  = context.Background()
	fast = sign.KDF{MemoryKiB: 64, Time: 1, Threads: 1}
)

func TestUnitKeyIsWrappedByThePassword(t *testing.T) {
	db := testdb.Open(t)
	if _, err := sign.UnitKey(ctx, db); !errors.Is(err, sign.ErrNoKey) {
		t.Fatalf("fresh database: %v", err)
	}
	tx := func(fn func(tx *sql.Tx) error) {
		if err := db.Tx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	tx(func(tx *sql.Tx) error { return sign.EnsureUnitKey(ctx, tx, "Leader@2026", fast) })
	tx(func(tx *sql.Tx) error { return sign.EnsureUnitKey(ctx, tx, "Leader@2026", fast) }) // no second key
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM unit_keys`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d keys", n)
	}
	if _, err := sign.UnitSigner(ctx, db, "Wrong@2026"); !errors.Is(err, sign.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	tx(func(tx *sql.Tx) error { return sign.Rewrap(ctx, tx, "Leader@2026", "Changed@2027", fast) })
	if _, err := sign.UnitSigner(ctx, db, "Leader@2026"); !errors.Is(err, sign.ErrWrongPassword) {
		t.Errorf("old password after rewrap: %v", err)
	}
	priv, err := sign.UnitSigner(ctx, db, "Changed@2027")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := sign.UnitKey(ctx, db)
	msg := []byte(`{"package":"惠才卡"}`)
	sig, err := sign.Sign(priv, msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := sign.Verify([]byte(key.PublicPEM), msg, sig); err != nil {
		t.Errorf("verify: %v", err)
	}
	if err := sign.Verify([]byte(key.PublicPEM), append(msg, ' '), sig); !errors.Is(err, sign.ErrBadSignature) {
		t.Errorf("changed message verified: %v", err)
	}
}

// TestOpenSSLVerifiesTheSignature proves the province can check a package
// with stock OpenSSL 3, as docs/package-format.md says, whether it was
// signed whole or as it was written (NewDigest, SignDigest).
func TestOpenSSLVerifiesTheSignature(t *testing.T) {
	privPEM, pubPEM, err := sign.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := sign.ParsePrivatePEM([]byte(privPEM))
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("{\"format\":1,\"unit\":\"山东大学\"}\n")
	streamed := func() ([]byte, error) {
		h, err := sign.NewDigest(&priv.PublicKey)
		if err != nil {
			return nil, err
		}
		h.Write(msg[:7])
		h.Write(msg[7:])
		return sign.SignDigest(priv, h.Sum(nil))
	}
	for name, signer := range map[string]func() ([]byte, error){"whole": func() ([]byte, error) { return sign.Sign(priv, msg) }, "streamed": streamed} {
		sig, err := signer()
		if err != nil {
			t.Fatal(name, err)
		}
		if err := opensslVerify(t, pubPEM, msg, sig); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := opensslVerify(t, pubPEM, append(msg, ' '), sig); err == nil {
			t.Errorf("%s: openssl accepted a changed manifest", name)
		}
	}
}

// opensslVerify checks sig of msg by `openssl pkeyutl -verify`.
func opensslVerify(t *testing.T, pubPEM string, msg, sig []byte) error {
	dir := t.TempDir()
	for name, data := range map[string][]byte{"manifest.json": msg, "manifest.sig": sig, "unit.pem": []byte(pubPEM)} {
		os.WriteFile(filepath.Join(dir, name), data, 0o600)
	}
	out, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", filepath.Join(dir, "unit.pem"),
		"-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678",
		"-in", filepath.Join(dir, "manifest.json"), "-sigfile", filepath.Join(dir, "manifest.sig")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

func TestProvinceKeyMustBeSM2(t *testing.T) {
	db := testdb.Open(t)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := sign.SetProvinceKey(ctx, tx, audit.Actor{}, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
		return err
	})
	if err == nil {
		t.Error("garbage accepted as the province key")
	}
	_, pub, _ := sign.GenerateKeyPair()
	err = db.Tx(ctx, func(tx *sql.Tx) error { _, err := sign.SetProvinceKey(ctx, tx, audit.Actor{}, pub); return err })
	if err != nil {
		t.Fatal(err)
	}
	if k, err := sign.ProvinceKey(ctx, db); err != nil || k.Fingerprint == "" {
		t.Errorf("province key %+v %v", k, err)
	}
}
