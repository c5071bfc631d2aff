// Package pack writes and checks submission packages (提交包) and the
// province's receipts (回执). The format is documented in
// docs/package-format.md; this package is its one implementation, used by
// the app, by "huicai verify" and by "huicai province receipt".
package pack

// FormatVersion is the package format this program writes and reads.
const FormatVersion = 1

// Package entry names.
const (
	ManifestName  = "manifest.json"
	SignatureName = "manifest.sig"
	DataName      = "data.json"
)

// Unit identifies the unit that sealed a package.
type Unit struct {
	Name string `json:"name"`
	USCC string `json:"uscc"`
}

// Batch names the batch a package seals.
type Batch struct {
	Kind      string `json:"kind"`       // card or change
	KindLabel string `json:"kind_label"` // 惠才卡申领 or 专家变动
	Number    string `json:"number"`
}

// Contact is the unit's contact for the batch.
type Contact struct {
	Person string `json:"person"`
	Phone  string `json:"phone"`
}

// Item is one submitted item with its key data.
type Item struct {
	ID  int64             `json:"id"`
	Key map[string]string `json:"key"`
}

// FileEntry is one file in the package with its size and SM3 hash.
type FileEntry struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	SM3  string `json:"sm3"`
}

// Signer names the key that signed the manifest.
type Signer struct {
	Algorithm   string `json:"algorithm"` // SM2-with-SM3
	SignerID    string `json:"signer_id"` // 1234567812345678
	PublicKey   string `json:"public_key_pem"`
	Fingerprint string `json:"fingerprint"`
}

// Manifest describes a package; manifest.sig signs its exact bytes.
type Manifest struct {
	Format        string      `json:"format"`
	FormatVersion int         `json:"format_version"`
	PackageID     string      `json:"package_id"`
	Unit          Unit        `json:"unit"`
	Batch         Batch       `json:"batch"`
	CreatedAt     string      `json:"created_at"`
	Contact       Contact     `json:"contact"`
	Items         []Item      `json:"items"`
	Files         []FileEntry `json:"files"`
	AuditHead     string      `json:"audit_head"`
	Signer        Signer      `json:"signer"`
}

// FormatName marks a package manifest.
const FormatName = "huicai-submission-package"
