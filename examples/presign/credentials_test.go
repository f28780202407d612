package main

import (
	"sigv4.dev/credentials"
	"sigv4.dev/presign"
)

// presign declares the credentials interface it consumes instead of
// importing sigv4.dev/credentials; these are the providers a program hands
// it. *credentials.Cache also has the Invalidate method that
// CredentialExpiryRefresh looks for.
var (
	_ presign.CredentialsProvider = credentials.NewChain(credentials.Options{})
	_ interface {
		presign.CredentialsProvider
		Invalidate()
	} = (*credentials.Cache)(nil)
)
