package main

import "testing"

func TestInferFromHost(t *testing.T) {
	cases := []struct{ host, service, region string }{
		{"sqs.eu-west-1.amazonaws.com", "sqs", "eu-west-1"},
		{"dynamodb.us-east-2.amazonaws.com", "dynamodb", "us-east-2"},
		{"sts.amazonaws.com", "sts", "us-east-1"},
		{"sts.ap-south-1.amazonaws.com", "sts", "ap-south-1"},
		{"iam.amazonaws.com", "iam", "us-east-1"},
		{"email.eu-west-1.amazonaws.com", "ses", "eu-west-1"},
		{"runtime.sagemaker.us-west-2.amazonaws.com", "sagemaker", "us-west-2"},
		{"sqs-fips.us-gov-west-1.amazonaws.com", "sqs", "us-gov-west-1"},
		{"abc123.execute-api.eu-central-1.amazonaws.com", "execute-api", "eu-central-1"},
		{"xyz.lambda-url.us-east-1.on.aws", "lambda", "us-east-1"},
		{"s3.amazonaws.com", "s3", "us-east-1"},
		{"examplebucket.s3.amazonaws.com", "s3", "us-east-1"},
		{"my.dotted.bucket.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1"},
		{"bucket.s3.dualstack.eu-west-1.amazonaws.com", "s3", "eu-west-1"},
		{"s3.dualstack.eu-west-1.amazonaws.com", "s3", "eu-west-1"},
		{"bucket.s3-eu-west-1.amazonaws.com", "s3", "eu-west-1"},
		{"bucket.s3-external-1.amazonaws.com", "s3", "us-east-1"},
		{"123456789012.s3-control.us-east-1.amazonaws.com", "s3", "us-east-1"},
		{"s3.cn-north-1.amazonaws.com.cn", "s3", "cn-north-1"},
		{"EC2.EU-WEST-1.AMAZONAWS.COM.", "ec2", "eu-west-1"},
		// Not said unambiguously: nothing, or the region only.
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com", "", "us-east-1"},
		{"bucket.s3-accelerate.amazonaws.com", "", ""},
		{"organizations.amazonaws.com", "", ""},
		{"127.0.0.1", "", ""},
		{"minio.example.com", "", ""},
		{"amazonaws.com.evil.example", "", ""},
		{"x.lambda-url.nope.on.aws", "", ""},
	}
	for _, c := range cases {
		s, r := inferFromHost(c.host)
		if s != c.service || r != c.region {
			t.Errorf("inferFromHost(%q) = %q, %q; want %q, %q", c.host, s, r, c.service, c.region)
		}
	}
}
