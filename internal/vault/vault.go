// Package vault encrypts personal data at rest. ID numbers, mobile and
// phone numbers and e-mail addresses are stored sealed with AES-256-GCM
// under a data key that lives outside the database file (keyfile.go), and
// looked up and kept unique through a keyed blind index (HMAC-SHA256), so a
// copy of the database alone reveals none of them.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// KeySize is the data key's length: 32 bytes for AES-256, 32 for HMAC.
const KeySize = 64

const prefix = "enc:v1:"

// Vault seals and opens values with one data key.
type Vault struct {
	aead  cipher.AEAD
	mac   []byte
	files []byte // the documents' key (files.go)
	check string
}

// New makes a vault from a data key.
func New(key []byte) (*Vault, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("vault: key must be %d bytes", KeySize)
	}
	block, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	files, err := filesKey(key)
	if err != nil {
		return nil, err
	}
	v := &Vault{aead: g, mac: append([]byte(nil), key[32:]...), files: files}
	v.check = v.Index("key-check", "huicai")
	return v, nil
}

// NewKey makes a random data key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	_, err := rand.Read(k)
	return k, err
}

var current atomic.Pointer[Vault]

// Use makes v the vault every area seals and opens with.
func Use(v *Vault) { current.Store(v) }

func active() *Vault {
	v := current.Load()
	if v == nil {
		panic("vault: no data key loaded")
	}
	return v
}

// Seal encrypts a value for storage ("" stays "").
func Seal(plain string) string {
	if plain == "" {
		return ""
	}
	v := active()
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return prefix + base64.RawStdEncoding.EncodeToString(v.aead.Seal(nonce, nonce, []byte(plain), nil))
}

// ErrDamaged means a sealed value cannot be opened with the data key.
var ErrDamaged = errors.New("vault: sealed value cannot be opened with this data key")

// Open decrypts a stored value. Values stored before encryption (no
// prefix) are returned as they are.
func Open(stored string) (string, error) {
	if !strings.HasPrefix(stored, prefix) {
		return stored, nil
	}
	return active().open(stored)
}

func (v *Vault) open(stored string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(stored[len(prefix):])
	if err != nil || len(raw) < v.aead.NonceSize() {
		return "", ErrDamaged
	}
	n := v.aead.NonceSize()
	plain, err := v.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", ErrDamaged
	}
	return string(plain), nil
}

// IsSealed reports whether a stored value is already encrypted.
func IsSealed(stored string) bool { return strings.HasPrefix(stored, prefix) }

// Index is the blind index of a value of a kind (e.g. "id:居民身份证"): equal
// values give equal indexes, and nothing about the value can be learnt from
// it without the data key.
func (v *Vault) Index(kind, value string) string {
	m := hmac.New(sha256.New, v.mac)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// Index is the blind index under the active vault.
func Index(kind, value string) string { return active().Index(kind, value) }

// Check is a value derived from the data key that the database keeps, so
// that a wrong key file is noticed before it is used.
func Check() string { return active().check }
