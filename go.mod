module sigv4.dev

go 1.24
