package interop_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/slotnet/slotnet/transport"
)

// grpcHealth serves gRPC's health service on the server host and checks
// it from the client host. The glue is transport.GRPCDialer and a
// passthrough:/// target, which hands the address to the dialer as is.
func grpcHealth() (healthpb.HealthCheckResponse_ServingStatus, error) {
	_, client, server := twoHosts()
	l, err := transport.Listen(server, "tcp", "10.0.0.2:50051")
	if err != nil {
		return 0, err
	}
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer())
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	defer func() { srv.Stop(); <-served }()

	conn, err := grpc.NewClient("passthrough:///10.0.0.2:50051",
		grpc.WithContextDialer(transport.GRPCDialer(client)),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		return 0, err
	}
	return resp.GetStatus(), nil
}

// gRPC's health service over the in-memory network.
func Example_grpc() {
	status, err := grpcHealth()
	fmt.Println(status, err)
	// Output: SERVING <nil>
}

func TestGRPCInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		status, err := grpcHealth()
		require.NoError(t, err)
		assert.Equal(t, healthpb.HealthCheckResponse_SERVING, status)
	})
}
