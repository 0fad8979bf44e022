//! The stream a TLS handshake runs over in TDS 7.x: until the handshake is
//! done, every TLS record travels inside PRELOGIN packets (MS-TDS 2.2.6.5,
//! "the TLS handshake is wrapped in PRELOGIN messages"); afterwards the TLS
//! records go on the wire bare.
//!
//! This is the server-side mirror of tiberius' `TlsPreloginWrapper`: reads
//! strip packet headers, writes are buffered and framed as one PRELOGIN
//! packet per flush. It knows nothing of TLS itself (rustls does that).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::wire::packet::{self, HEADER_LEN, PacketHeader, PacketType};

pub(crate) struct PreloginFraming<S> {
    inner: S,
    handshaking: bool,
    header: [u8; HEADER_LEN],
    header_read: usize,
    /// Payload bytes of the current incoming packet not yet handed out.
    payload_left: usize,
    /// Outgoing framed bytes not yet written.
    pending: Vec<u8>,
    written: usize,
    scratch: Box<[u8]>,
}

impl<S> PreloginFraming<S> {
    pub(crate) fn new(inner: S) -> PreloginFraming<S> {
        PreloginFraming {
            inner,
            handshaking: true,
            header: [0; HEADER_LEN],
            header_read: 0,
            payload_left: 0,
            pending: Vec::new(),
            written: 0,
            scratch: vec![0; 4096].into_boxed_slice(),
        }
    }

    /// From now on bytes pass through untouched.
    pub(crate) fn handshake_complete(&mut self) {
        self.handshaking = false;
    }

    pub(crate) fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for PreloginFraming<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.handshaking {
            return Pin::new(&mut this.inner).poll_read(cx, buf);
        }
        // Skip headers (and empty packets) until there is payload to hand out.
        while this.payload_left == 0 {
            while this.header_read < HEADER_LEN {
                let mut header_buf = ReadBuf::new(&mut this.header[this.header_read..]);
                ready!(Pin::new(&mut this.inner).poll_read(cx, &mut header_buf))?;
                let n = header_buf.filled().len();
                if n == 0 {
                    // End of stream: let TLS report the truncated handshake.
                    return Poll::Ready(Ok(()));
                }
                this.header_read += n;
            }
            this.header_read = 0;
            let header = PacketHeader::parse(&this.header)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            if header.ty != PacketType::PreLogin {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "expected a PRELOGIN packet during the TLS handshake, found type {}",
                        header.ty.byte()
                    ),
                )));
            }
            this.payload_left = header.payload_len();
        }
        // Read into scratch space so no more than this packet's payload is
        // consumed (handshake messages are small; the copy is cheap).
        let want = this
            .payload_left
            .min(buf.remaining())
            .min(this.scratch.len());
        let mut limited = ReadBuf::new(&mut this.scratch[..want]);
        ready!(Pin::new(&mut this.inner).poll_read(cx, &mut limited))?;
        let n = limited.filled().len();
        buf.put_slice(&this.scratch[..n]);
        this.payload_left -= n;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for PreloginFraming<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if !this.handshaking {
            return Pin::new(&mut this.inner).poll_write(cx, data);
        }
        this.pending.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.handshaking && this.written == 0 && !this.pending.is_empty() {
            // One PRELOGIN packet per flight, split if over the default
            // packet size (tiberius reads any number of packets).
            let payload = std::mem::take(&mut this.pending);
            this.pending = packet::frame(PacketType::PreLogin, &payload, 4096, 0, true);
        }
        while this.written < this.pending.len() {
            let n =
                ready!(Pin::new(&mut this.inner).poll_write(cx, &this.pending[this.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            this.written += n;
        }
        this.pending.clear();
        this.written = 0;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    #[tokio::test]
    async fn reads_strip_prelogin_headers_until_the_handshake_is_done() {
        let (mut peer, ours) = duplex(1024);
        let mut framing = PreloginFraming::new(ours);
        let mut wire = packet::frame(PacketType::PreLogin, b"hello ", 4096, 0, true);
        // An empty packet in between is skipped, not taken for end of stream.
        wire.extend(packet::frame(PacketType::PreLogin, b"", 4096, 0, true));
        wire.extend(packet::frame(PacketType::PreLogin, b"tls", 4096, 0, true));
        peer.write_all(&wire).await.unwrap();
        let mut got = vec![0u8; 9];
        framing.read_exact(&mut got).await.unwrap();
        assert_eq!(got, b"hello tls");

        framing.handshake_complete();
        peer.write_all(b"raw").await.unwrap();
        let mut raw = [0u8; 3];
        framing.read_exact(&mut raw).await.unwrap();
        assert_eq!(&raw, b"raw");
    }

    #[tokio::test]
    async fn other_packet_types_during_the_handshake_are_refused() {
        let (mut peer, ours) = duplex(1024);
        let mut framing = PreloginFraming::new(ours);
        peer.write_all(&packet::frame(PacketType::Login7, b"x", 4096, 0, true))
            .await
            .unwrap();
        let mut buf = [0u8; 1];
        let err = framing.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[tokio::test]
    async fn writes_are_framed_per_flush_then_pass_through() {
        let (mut peer, ours) = duplex(1 << 16);
        let mut framing = PreloginFraming::new(ours);
        framing.write_all(b"server ").await.unwrap();
        framing.write_all(b"hello").await.unwrap();
        framing.flush().await.unwrap();
        framing.handshake_complete();
        framing.write_all(b"bare").await.unwrap();
        framing.flush().await.unwrap();
        drop(framing);
        let mut wire = Vec::new();
        peer.read_to_end(&mut wire).await.unwrap();
        let mut expected = packet::frame(PacketType::PreLogin, b"server hello", 4096, 0, true);
        expected.extend_from_slice(b"bare");
        assert_eq!(wire, expected);
    }
}
