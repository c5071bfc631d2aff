// Package apperr defines the one error type the application shows to users:
// a stable code, a Chinese message fit for the user, and per-field messages.
// Anything that is not an *Error is internal: it is logged with detail and
// shown to the user only as a generic message.
package apperr

import (
	"errors"
	"sort"
	"strings"
)

// Code classifies an error; the API maps each code to an HTTP status.
type Code string

// The codes the application uses.
const (
	CodeValidation      Code = "validation"
	CodeUnauthenticated Code = "unauthenticated"
	CodeSessionExpired  Code = "session_expired"
	CodeForbidden       Code = "forbidden"
	CodeNotFound        Code = "not_found"
	CodeConflict        Code = "conflict"
	CodeTooLarge        Code = "too_large"
	CodeTooMany         Code = "too_many_requests"
	CodeReadOnly        Code = "read_only"
	CodeCancelled       Code = "cancelled"
	CodeInternal        Code = "internal"
	CodeDiskFull        Code = "disk_full"
)

// Error is a user-facing error.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return string(e.Code) + ": " + e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+e.Fields[k])
	}
	return string(e.Code) + ": " + e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// New returns an error with a code and a user message.
func New(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Invalid returns a validation error with per-field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeValidation, Message: "提交的信息有误，请按提示修改", Fields: fields}
}

// InvalidField returns a validation error for one field.
func InvalidField(field, message string) *Error {
	return Invalid(map[string]string{field: message})
}

// Conflict returns an error for a request that clashes with the current state.
func Conflict(message string) *Error { return New(CodeConflict, message) }

// Forbidden returns an error for an action the user's role may not take.
func Forbidden() *Error { return New(CodeForbidden, "没有权限执行此操作") }

// NotFound returns an error for a missing object.
func NotFound(message string) *Error { return New(CodeNotFound, message) }

// Internal is what users see for any error that is not an *Error.
func Internal() *Error {
	return New(CodeInternal, "系统内部错误，请稍后重试；如果问题持续，请联系管理员")
}

// DiskFull is what users see when the disk ran out of space: what they
// were saving was not saved, and nothing else changed.
func DiskFull() *Error {
	return New(CodeDiskFull, "磁盘空间不足：本次操作的内容没有保存，已有数据未受影响。请清理数据文件夹所在的磁盘后重试")
}

// As returns the *Error inside err, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
