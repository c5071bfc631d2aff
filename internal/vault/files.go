package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
)

// FileSaltSize is the length of the random salt that names one stored
// document's key.
const FileSaltSize = 24

// filesKey derives the key for stored documents from the data key, apart
// from the keys that seal database values and blind indexes.
func filesKey(key []byte) ([]byte, error) {
	return hkdf.Key(sha256.New, key, nil, "huicai documents v1", 32)
}

// FileCipher returns the AES-256-GCM cipher for one stored document, under
// a key derived (HKDF-SHA256) from the data key's document key and the
// document's random salt: every document has its own key, and no key
// material leaves the vault.
func FileCipher(salt []byte) (cipher.AEAD, error) {
	if len(salt) != FileSaltSize {
		return nil, errors.New("vault: a document salt must be 24 bytes")
	}
	k, err := hkdf.Key(sha256.New, active().files, salt, "huicai document", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
