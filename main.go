// Command huicai is 惠才通: the desktop application (default) and, with
// "huicai serve", the same UI and API for browsers on the office LAN.
package main

import (
	"embed"
	"io/fs"
	"os"

	"huicai/app"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err)
	}
	os.Exit(app.Main(os.Args[1:], assets, os.Stdout, os.Stderr))
}
