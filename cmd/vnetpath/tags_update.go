package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/servicetags"
)

// runTagsUpdate downloads the service-tag catalog with the Service Tag
// Discovery API and writes it where --service-tags reads it.
func runTagsUpdate(fs *flagSet, pos []string, location, out, subscription string) int {
	stdout, stderr := fs.env.stdout, fs.env.stderr
	switch {
	case len(pos) > 0:
		return fs.usageError("--update takes no verb; got %q", pos[0])
	case location == "":
		return fs.usageError("--update needs --location REGION (such as westeurope)")
	case out == "":
		return fs.usageError("--update needs --out FILE")
	}
	access, err := azureAccess()
	if err != nil {
		return fail(stderr, "tags --update", fmt.Errorf("no Azure credential: %w (sign in with 'az login')", err))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	b, err := collect.FetchServiceTags(ctx, collect.ServiceTagsOptions{
		Location: location, Subscription: subscription, Credential: access.Credential, ClientOptions: access.ClientOptions})
	if err != nil {
		return fail(stderr, "tags --update", err)
	}
	cat, err := servicetags.Parse(bytes.NewReader(b), servicetags.Options{})
	if err != nil {
		return fail(stderr, "tags --update", fmt.Errorf("the Discovery API's answer does not parse: %w", err))
	}
	if err := writeFileAtomic(out, append(b, '\n')); err != nil {
		return fail(stderr, "tags --update", err)
	}
	printWarnings(stderr, cat.Warnings())
	fmt.Fprintf(stdout, "wrote %d service tags (%s cloud, change %d) to %s\n", cat.Len(), dashIfEmpty(cat.Cloud()), cat.ChangeNumber(), out)
	return exitOK
}

// writeFileAtomic writes data to name through a temporary file in the same
// directory, renamed into place.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".vnetpath-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
