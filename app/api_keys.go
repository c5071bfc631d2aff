package app

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/card"
	"huicai/internal/pack"
	"huicai/internal/sign"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

type keysView struct {
	Unit     *sign.Key `json:"unit"`
	Province *sign.Key `json:"province"`
}

// keys shows the unit's public key and the configured province key.
func (a *App) keys(r *request) (any, error) {
	var out keysView
	if k, err := sign.UnitKey(r.Context(), a.db); err == nil {
		out.Unit = &k
	} else if !errors.Is(err, sign.ErrNoKey) {
		return nil, err
	}
	if k, err := sign.ProvinceKey(r.Context(), a.db); err == nil {
		out.Province = &k
	}
	return out, nil
}

func (a *App) unitKeyFile(r *request) (string, func(io.Writer) error, error) {
	k, err := sign.UnitKey(r.Context(), a.db)
	if errors.Is(err, sign.ErrNoKey) {
		return "", nil, apperr.NotFound("单位签名密钥尚未生成，请单位负责人重新登录一次")
	}
	if err != nil {
		return "", nil, err
	}
	text := k.PublicPEM + "# SM3 指纹：" + k.Fingerprint + "\n"
	return "单位公钥.pem", func(w io.Writer) error { _, err := io.WriteString(w, text); return err }, nil
}

func (a *App) downloadUnitKey(r *request) (any, error) {
	name, write, err := a.unitKeyFile(r)
	if err != nil {
		return nil, err
	}
	return download{name: name, typ: "application/x-pem-file", write: write}, nil
}

func (a *App) saveUnitKey(r *request) (any, error) {
	name, write, err := a.unitKeyFile(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "导出单位公钥", name, pemFilter, write)
}

type provinceKeyRequest struct {
	PublicPEM string `json:"public_pem"`
}

func (a *App) setProvinceKey(r *request) (any, error) {
	var in provinceKeyRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.saveProvinceKey(r, in.PublicPEM)
}

// chooseProvinceKey reads the province key from a file picked in the native dialog.
func (a *App) chooseProvinceKey(r *request) (any, error) {
	f, err := chooseInput(r, "选择省级公钥文件", pemFilter)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, err
	}
	return a.saveProvinceKey(r, string(data))
}

func (a *App) saveProvinceKey(r *request, pemText string) (any, error) {
	var k sign.Key
	err := a.db.Tx(r.Context(), func(tx *sql.Tx) (err error) {
		k, err = sign.SetProvinceKey(r.Context(), tx, r.user.Actor(r.client), strings.TrimSpace(pemText)+"\n")
		return err
	})
	return k, err
}

// importReceipt verifies a receipt against the province key and applies it.
func (a *App) importReceipt(r *request, in io.Reader) (any, error) {
	pk, err := sign.ProvinceKey(r.Context(), a.db)
	if err != nil {
		return nil, err
	}
	rc, err := pack.ReadReceipt(in, []byte(pk.PublicPEM))
	var p *pack.Problem
	if errors.As(err, &p) {
		return nil, apperr.InvalidField("file", p.Msg)
	}
	if err != nil {
		return nil, err
	}
	return a.batches.ImportReceipt(r.Context(), a.batchKinds(), r.user, rc, r.client)
}

func (a *App) uploadReceipt(r *request) (any, error) { return a.importReceipt(r, r.Body) }

func (a *App) chooseReceipt(r *request) (any, error) {
	f, err := chooseInput(r, "选择省级回执", zipFilter)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return a.importReceipt(r, f)
}

func (a *App) renewApplication(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	fresh, err := card.Renew(r.Context(), a.db, r.user, id, r.client)
	if err != nil {
		return nil, err
	}
	return a.applicationDetail(r, fresh.ID)
}

type recoveryRequest struct {
	Passphrase        string `json:"passphrase"`
	PassphraseConfirm string `json:"passphrase_confirm"`
}

// recoveryFile is the passphrase-protected copy of the data key.
type recoveryFile struct {
	FileName string `json:"file_name"`
	Content  string `json:"content"`
}

// recoveryCopy seals the data key under the leader's recovery passphrase and
// audits that a copy left the machine.
func (a *App) recoveryCopy(r *request) (recoveryFile, error) {
	var in recoveryRequest
	if err := decode(r, &in); err != nil {
		return recoveryFile{}, err
	}
	var c validate.Checker
	c.Check("passphrase", utf8.RuneCountInString(in.Passphrase) >= vault.PassphraseMinLength, fmt.Sprintf("恢复口令至少 %d 个字符", vault.PassphraseMinLength))
	c.Check("passphrase_confirm", in.Passphrase == in.PassphraseConfirm, "两次输入的口令不一致")
	if err := c.Err(); err != nil {
		return recoveryFile{}, err
	}
	key, err := vault.LoadKey(a.dataDir)
	if err != nil {
		return recoveryFile{}, err
	}
	data, err := vault.ExportRecovery(key, in.Passphrase)
	if err != nil {
		return recoveryFile{}, err
	}
	err = a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		return audit.Append(r.Context(), tx, audit.Entry{Actor: r.user.Actor(r.client), Action: "导出恢复密钥", Object: "数据密钥", Outcome: audit.OK})
	})
	return recoveryFile{FileName: "惠才通恢复密钥.json", Content: string(data)}, err
}

func (a *App) exportRecoveryKey(r *request) (any, error) { return a.recoveryCopy(r) }

func (a *App) saveRecoveryKey(r *request) (any, error) {
	f, err := a.recoveryCopy(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存恢复密钥", f.FileName, fileFilter{"恢复密钥（JSON）", "*.json"}, func(w io.Writer) error {
		_, err := io.WriteString(w, f.Content)
		return err
	})
}
