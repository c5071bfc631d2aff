package app

import (
	"context"
	"log/slog"

	"huicai/internal/files"
)

// sealLegacyFiles seals the documents an older version stored in the
// clear (in an upgraded installation, or a restored older backup). It only
// logs a failure: files left in the clear are still read, and sealed at
// the next start.
func sealLegacyFiles(ctx context.Context, s *files.Store, log *slog.Logger) {
	n, err := s.SealLegacy(ctx)
	if err != nil {
		log.Error("sealing documents stored in the clear failed", "err", err)
	}
	if n > 0 {
		log.Info("sealed documents stored in the clear", "count", n)
	}
}
