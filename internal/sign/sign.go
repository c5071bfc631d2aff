// Package sign keeps the unit's SM2 signing key (GB/T 32918) and the
// province's public key, and signs and verifies with SM2/SM3.
//
// The unit's private key is stored encrypted with AES-256-GCM under a key
// derived by argon2id from the leader's password, so a copy of the database
// cannot sign; it is re-wrapped when the leader changes the password.
package sign

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/kdf"
	"huicai/internal/store"
)

// DefaultUID is the SM2 signer id both sides use (GB/T 35276's default).
var DefaultUID = []byte("1234567812345678")

// Migrations creates the key tables.
func Migrations() []store.Migration {
	return []store.Migration{{Version: 10, Name: "sign: unit and province keys", Up: store.Exec(
		`CREATE TABLE unit_keys (
			id INTEGER PRIMARY KEY,
			public_pem TEXT NOT NULL,
			fingerprint TEXT NOT NULL,
			kdf_salt BLOB NOT NULL,
			kdf_memory INTEGER NOT NULL,
			kdf_time INTEGER NOT NULL,
			kdf_threads INTEGER NOT NULL,
			nonce BLOB NOT NULL,
			sealed_private BLOB NOT NULL,
			created_at TEXT NOT NULL
		)`,
		`CREATE TABLE province_keys (
			id INTEGER PRIMARY KEY,
			public_pem TEXT NOT NULL,
			fingerprint TEXT NOT NULL,
			configured_at TEXT NOT NULL
		)`,
	)}, {Version: 31, Name: "sign: fixed-width times", Up: store.FixTimesStep(map[string][]string{
		"unit_keys": {"created_at"}, "province_keys": {"configured_at"}})}}
}

// KDF is the argon2id cost of the key that wraps the private key.
type KDF struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Key is the unit's public key as the leader sees and exports it.
type Key struct {
	PublicPEM   string `json:"public_pem"`
	Fingerprint string `json:"fingerprint"`
	CreatedAt   string `json:"created_at"`
}

// ErrNoKey means the unit has no key yet.
var ErrNoKey = errors.New("sign: the unit has no key")

// ErrWrongPassword means the password does not open the private key.
var ErrWrongPassword = apperr.InvalidField("password", "密码不正确")

// UnitKey returns the unit's public key.
func UnitKey(ctx context.Context, q store.Querier) (Key, error) {
	var k Key
	err := q.QueryRowContext(ctx, `SELECT public_pem, fingerprint, created_at FROM unit_keys ORDER BY id DESC LIMIT 1`).
		Scan(&k.PublicPEM, &k.Fingerprint, &k.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrNoKey
	}
	if err != nil {
		return Key{}, fmt.Errorf("sign: unit key: %w", err)
	}
	return k, nil
}

// EnsureUnitKey creates the unit's key pair inside tx, wrapped under
// password, unless it has one already.
func EnsureUnitKey(ctx context.Context, tx *sql.Tx, password string, kdf KDF) error {
	if _, err := UnitKey(ctx, tx); !errors.Is(err, ErrNoKey) {
		return err
	}
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("sign: generate: %w", err)
	}
	pubPEM, fp, err := PublicPEM(&priv.PublicKey)
	if err != nil {
		return err
	}
	salt, nonce, sealed, err := seal(priv, password, kdf)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO unit_keys(public_pem, fingerprint, kdf_salt, kdf_memory, kdf_time, kdf_threads,
		nonce, sealed_private, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, pubPEM, fp, salt, kdf.MemoryKiB, kdf.Time,
		kdf.Threads, nonce, sealed, store.Now())
	if err != nil {
		return fmt.Errorf("sign: store key: %w", err)
	}
	return nil
}

// UnitSigner opens the unit's private key with the leader's password.
func UnitSigner(ctx context.Context, q store.Querier, password string) (*sm2.PrivateKey, error) {
	var salt, nonce, sealed []byte
	var kdf KDF
	err := q.QueryRowContext(ctx, `SELECT kdf_salt, kdf_memory, kdf_time, kdf_threads, nonce, sealed_private
		FROM unit_keys ORDER BY id DESC LIMIT 1`).Scan(&salt, &kdf.MemoryKiB, &kdf.Time, &kdf.Threads, &nonce, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("sign: unit key: %w", err)
	}
	g, err := aead(password, salt, kdf)
	if err != nil {
		return nil, err
	}
	der, err := g.Open(nil, nonce, sealed, nil)
	if err != nil {
		return nil, ErrWrongPassword
	}
	return smx509.ParseSM2PrivateKey(der)
}

// Rewrap re-encrypts the unit's private key under a new password inside tx.
func Rewrap(ctx context.Context, tx *sql.Tx, oldPassword, newPassword string, kdf KDF) error {
	priv, err := UnitSigner(ctx, tx, oldPassword)
	if errors.Is(err, ErrNoKey) {
		return EnsureUnitKey(ctx, tx, newPassword, kdf)
	}
	if err != nil {
		return err
	}
	salt, nonce, sealed, err := seal(priv, newPassword, kdf)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE unit_keys SET kdf_salt = ?, kdf_memory = ?, kdf_time = ?, kdf_threads = ?,
		nonce = ?, sealed_private = ? WHERE id = (SELECT MAX(id) FROM unit_keys)`, salt, kdf.MemoryKiB, kdf.Time, kdf.Threads, nonce, sealed)
	if err != nil {
		return fmt.Errorf("sign: rewrap: %w", err)
	}
	return nil
}

func seal(priv *sm2.PrivateKey, password string, kdf KDF) (salt, nonce, sealed []byte, err error) {
	der, err := smx509.MarshalSM2PrivateKey(priv)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("sign: marshal: %w", err)
	}
	salt, nonce = make([]byte, 16), make([]byte, 12)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, nil, err
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, nil, err
	}
	g, err := aead(password, salt, kdf)
	if err != nil {
		return nil, nil, nil, err
	}
	return salt, nonce, g.Seal(nil, nonce, der, nil), nil
}

func aead(password string, salt []byte, p KDF) (cipher.AEAD, error) {
	key, err := kdf.IDKey([]byte(password), salt, kdf.Params(p), 32)
	if err != nil {
		return nil, err
	}
	block, _ := aes.NewCipher(key)
	return cipher.NewGCM(block)
}

// Sign signs msg with SM2 over SM3 with the default signer id; the DER
// signature verifies with OpenSSL 3's
// "pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678".
func Sign(priv *sm2.PrivateKey, msg []byte) ([]byte, error) {
	return priv.SignWithSM2(rand.Reader, DefaultUID, msg)
}

// NewDigest starts the SM3 hash that an SM2 signature by pub's key signs:
// write the message to it as it is made, then sign its sum with
// SignDigest. The signature is Sign's of the same message.
func NewDigest(pub *ecdsa.PublicKey) (hash.Hash, error) {
	za, err := sm2.CalculateZA(pub, DefaultUID)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	h := sm3.New()
	h.Write(za)
	return h, nil
}

// SignDigest returns the DER SM2 signature of a sum of NewDigest.
func SignDigest(priv *sm2.PrivateKey, digest []byte) ([]byte, error) {
	return sm2.SignASN1(rand.Reader, priv, digest, nil)
}

// ErrBadSignature means a signature does not verify.
var ErrBadSignature = errors.New("sign: signature does not verify")

// Verify checks a DER SM2 signature of msg against a public key in PEM.
func Verify(publicPEM []byte, msg, sig []byte) error {
	pub, err := ParsePublicPEM(publicPEM)
	if err != nil {
		return err
	}
	if !sm2.VerifyASN1WithSM2(pub, DefaultUID, msg, sig) {
		return ErrBadSignature
	}
	return nil
}

// ParsePublicPEM reads an SM2 public key (PEM "PUBLIC KEY").
func ParsePublicPEM(data []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("sign: not a PEM public key")
	}
	key, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sign: public key: %w", err)
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || pub.Curve != sm2.P256() {
		return nil, errors.New("sign: not an SM2 public key")
	}
	return pub, nil
}

// PublicPEM encodes a public key as PEM and returns its fingerprint: the
// SM3 hash of the DER encoding, in hex groups of four.
func PublicPEM(pub *ecdsa.PublicKey) (string, string, error) {
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", "", fmt.Errorf("sign: marshal public key: %w", err)
	}
	sum := sm3.Sum(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	groups := make([]string, 0, len(h)/4)
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), strings.Join(groups, " "), nil
}

// ProvinceKey returns the province's public key the leader configured.
func ProvinceKey(ctx context.Context, q store.Querier) (Key, error) {
	var k Key
	err := q.QueryRowContext(ctx, `SELECT public_pem, fingerprint, configured_at FROM province_keys ORDER BY id DESC LIMIT 1`).
		Scan(&k.PublicPEM, &k.Fingerprint, &k.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, apperr.Conflict("尚未配置省级公钥，请先在“惠才卡汇总提交”中导入省级公钥")
	}
	if err != nil {
		return Key{}, fmt.Errorf("sign: province key: %w", err)
	}
	return k, nil
}

// SetProvinceKey records the province's public key inside tx.
func SetProvinceKey(ctx context.Context, tx *sql.Tx, by audit.Actor, publicPEM string) (Key, error) {
	pub, err := ParsePublicPEM([]byte(publicPEM))
	if err != nil {
		return Key{}, apperr.InvalidField("public_pem", "不是有效的 SM2 公钥（PEM 格式，以 -----BEGIN PUBLIC KEY----- 开头）")
	}
	pemText, fp, err := PublicPEM(pub)
	if err != nil {
		return Key{}, err
	}
	k := Key{PublicPEM: pemText, Fingerprint: fp, CreatedAt: store.Now()}
	_, err = tx.ExecContext(ctx, `INSERT INTO province_keys(public_pem, fingerprint, configured_at) VALUES (?, ?, ?)`, k.PublicPEM, k.Fingerprint, k.CreatedAt)
	if err != nil {
		return Key{}, fmt.Errorf("sign: province key: %w", err)
	}
	return k, audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "配置省级公钥", Object: "省级公钥 " + k.Fingerprint, Outcome: audit.OK})
}

// GenerateKeyPair makes an SM2 key pair and returns the private key as PEM
// ("PRIVATE KEY", PKCS#8) and the public key as PEM, for the province side.
func GenerateKeyPair() (privatePEM, publicPEM string, err error) {
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	der, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", "", err
	}
	publicPEM, _, err = PublicPEM(&priv.PublicKey)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), publicPEM, err
}

// ParsePrivatePEM reads an SM2 private key in PKCS#8 or SEC1 PEM.
func ParsePrivatePEM(data []byte) (*sm2.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("sign: not a PEM private key")
	}
	if key, err := smx509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if k, ok := key.(*sm2.PrivateKey); ok {
			return k, nil
		}
	}
	return smx509.ParseSM2PrivateKey(block.Bytes)
}
