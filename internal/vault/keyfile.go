package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"huicai/internal/kdf"
	"huicai/internal/store"
)

const keyHeader = "huicai-data-key v1\n"

// KeyPath is where the data key lives: beside the database, never in it.
func KeyPath(dataDir string) string { return filepath.Join(dataDir, "keys", "data.key") }

// ErrNoKeyFile means the data folder has no key file.
var ErrNoKeyFile = errors.New("vault: no data key file")

// ErrBadKeyFile means the key file is damaged or belongs to another
// Windows user.
var ErrBadKeyFile = errors.New("vault: the data key file is damaged")

// LoadKey reads the data key (on Windows, unprotecting it with DPAPI).
func LoadKey(dataDir string) ([]byte, error) {
	data, err := os.ReadFile(KeyPath(dataDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKeyFile
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read key: %w", err)
	}
	text, ok := strings.CutPrefix(string(data), keyHeader)
	if !ok {
		return nil, ErrBadKeyFile
	}
	protected, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, ErrBadKeyFile
	}
	key, err := unprotect(protected)
	if err != nil || len(key) != KeySize {
		return nil, ErrBadKeyFile
	}
	return key, nil
}

// SaveKey writes the data key, readable by this user only: a 0600 file, and
// on Windows also protected with DPAPI. It replaces the file atomically.
func SaveKey(dataDir string, key []byte) error {
	protected, err := protect(key)
	if err != nil {
		return fmt.Errorf("vault: protect key: %w", err)
	}
	path := KeyPath(dataDir)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return store.ReplaceFile(path, []byte(keyHeader+base64.StdEncoding.EncodeToString(protected)+"\n"))
}

// recovery is the passphrase-protected copy of the data key.
type recovery struct {
	Format string `json:"format"`
	Salt   []byte `json:"salt"`
	Nonce  []byte `json:"nonce"`
	Sealed []byte `json:"sealed"`
	Check  string `json:"check"`
}

const recoveryFormat = "huicai-recovery-key v1"

// PassphraseMinLength bounds a recovery passphrase.
const PassphraseMinLength = 12

// recoveryCost is the Argon2id cost of the passphrase that seals the recovery copy.
var recoveryCost = kdf.Params{MemoryKiB: 96 * 1024, Time: 4, Threads: 2}

func recoveryAEAD(passphrase string, salt []byte) (cipher.AEAD, error) {
	k, err := kdf.IDKey([]byte(passphrase), salt, recoveryCost, 32)
	if err != nil {
		return nil, err
	}
	block, _ := aes.NewCipher(k)
	return cipher.NewGCM(block)
}

// ExportRecovery seals the data key under a passphrase, for the leader to
// keep apart from the computer.
func ExportRecovery(key []byte, passphrase string) ([]byte, error) {
	v, err := New(key)
	if err != nil {
		return nil, err
	}
	r := recovery{Format: recoveryFormat, Salt: make([]byte, 16), Nonce: make([]byte, 12), Check: v.check}
	rand.Read(r.Salt)
	rand.Read(r.Nonce)
	g, err := recoveryAEAD(passphrase, r.Salt)
	if err != nil {
		return nil, err
	}
	r.Sealed = g.Seal(nil, r.Nonce, key, nil)
	return json.MarshalIndent(r, "", "  ")
}

// ErrWrongPassphrase means the recovery passphrase does not open the copy.
var ErrWrongPassphrase = errors.New("vault: wrong recovery passphrase")

// ImportRecovery opens a recovery copy with its passphrase.
func ImportRecovery(data []byte, passphrase string) ([]byte, error) {
	var r recovery
	if err := json.Unmarshal(data, &r); err != nil || r.Format != recoveryFormat {
		return nil, errors.New("vault: not a huicai recovery key file")
	}
	g, err := recoveryAEAD(passphrase, r.Salt)
	if err != nil {
		return nil, err
	}
	key, err := g.Open(nil, r.Nonce, r.Sealed, nil)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return key, nil
}

// CheckOf is the key check of a data key (see Check).
func CheckOf(key []byte) (string, error) {
	v, err := New(key)
	if err != nil {
		return "", err
	}
	return v.check, nil
}
