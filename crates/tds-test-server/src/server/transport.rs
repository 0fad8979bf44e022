//! One connection's byte stream (plain TCP or TLS) and the reassembly of its
//! packets into messages, and the framing of responses into packets.
//!
//! Reading is cancel-safe: everything read so far is kept in `Transport`, so
//! a `read_message` dropped by `select!` (a batch finished before the client
//! sent anything) loses nothing. What the messages mean is up to `handshake`
//! and `connection`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

use super::prelogin_framing::PreloginFraming;
use crate::wire::packet::{self, HEADER_LEN, PacketHeader, PacketType};

/// Messages larger than this are refused: a test double has no business
/// receiving them, and it bounds what a broken client can make us buffer.
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<PreloginFraming<TcpStream>>>),
}

impl Stream {
    /// The TCP stream under the TLS session, for login-only encryption where
    /// both sides drop TLS after LOGIN7 (no close_notify is exchanged).
    pub(crate) fn into_plain(self) -> TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => {
                let (framing, _session) = (*tls).into_inner();
                framing.into_inner()
            }
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// A complete client message.
#[derive(Debug)]
pub(crate) struct Message {
    pub(crate) ty: PacketType,
    pub(crate) payload: Vec<u8>,
}

pub(crate) struct Transport {
    stream: Stream,
    /// Bytes read but not yet parsed into packets.
    buf: Vec<u8>,
    /// Packets of a message whose last packet has not arrived yet.
    partial: Option<Message>,
    scratch: Box<[u8]>,
    packet_size: usize,
    spid: u16,
}

impl Transport {
    pub(crate) fn new(stream: Stream) -> Transport {
        Transport {
            stream,
            buf: Vec::new(),
            partial: None,
            scratch: vec![0; 16 * 1024].into_boxed_slice(),
            packet_size: 4096,
            spid: 0,
        }
    }

    pub(crate) fn set_packet_size(&mut self, size: usize) {
        self.packet_size = size;
    }

    pub(crate) fn set_spid(&mut self, spid: u16) {
        self.spid = spid;
    }

    /// The stream back, to start or stop TLS. Fails if the client sent bytes
    /// the server has not consumed: it must wait for our answer first.
    pub(crate) fn into_stream(self) -> io::Result<Stream> {
        if !self.buf.is_empty() || self.partial.is_some() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "client sent data before the server answered",
            ));
        }
        Ok(self.stream)
    }

    /// The next complete message, or `None` when the client closed the
    /// connection between messages.
    pub(crate) async fn read_message(&mut self) -> io::Result<Option<Message>> {
        loop {
            if let Some(message) = self.next_message_from_buffer()? {
                return Ok(Some(message));
            }
            let n = self.stream.read(&mut self.scratch).await?;
            if n == 0 {
                if self.buf.is_empty() && self.partial.is_none() {
                    return Ok(None);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.buf.extend_from_slice(&self.scratch[..n]);
        }
    }

    fn next_message_from_buffer(&mut self) -> io::Result<Option<Message>> {
        while self.buf.len() >= HEADER_LEN {
            let mut header_bytes = [0u8; HEADER_LEN];
            header_bytes.copy_from_slice(&self.buf[..HEADER_LEN]);
            let header = PacketHeader::parse(&header_bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let len = usize::from(header.length);
            if self.buf.len() < len {
                return Ok(None);
            }
            let message = self.partial.get_or_insert_with(|| Message {
                ty: header.ty,
                payload: Vec::new(),
            });
            if message.ty != header.ty {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "packet type changed inside a message",
                ));
            }
            message
                .payload
                .extend_from_slice(&self.buf[HEADER_LEN..len]);
            if message.payload.len() > MAX_MESSAGE {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "message too large",
                ));
            }
            self.buf.drain(..len);
            if header.is_last() {
                return Ok(self.partial.take());
            }
        }
        Ok(None)
    }

    /// Sends a complete response (`last`) or, for a connection cut mid-batch,
    /// the part of one that was produced before the cut.
    pub(crate) async fn send(&mut self, payload: &[u8], last: bool) -> io::Result<()> {
        let framed = packet::frame(
            PacketType::TabularResult,
            payload,
            self.packet_size,
            self.spid,
            last,
        );
        self.stream.write_all(&framed).await?;
        self.stream.flush().await
    }

    pub(crate) async fn shutdown(&mut self) {
        // The peer may already be gone; there is nothing to do about it.
        let _ = self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    async fn pair() -> (Transport, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (Transport::new(Stream::Plain(server)), client)
    }

    #[tokio::test]
    async fn reassembles_messages_split_across_packets_and_reads() {
        let (mut transport, mut client) = pair().await;
        let payload: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let framed = packet::frame(PacketType::SqlBatch, &payload, 1024, 0, true);
        let attention = packet::frame(PacketType::Attention, &[], 512, 0, true);
        // Dribble the bytes in odd-sized writes.
        let all = [framed, attention].concat();
        let writer = tokio::spawn(async move {
            for chunk in all.chunks(333) {
                client.write_all(chunk).await.unwrap();
                client.flush().await.unwrap();
            }
            client
        });
        let first = transport.read_message().await.unwrap().unwrap();
        assert_eq!(first.ty, PacketType::SqlBatch);
        assert_eq!(first.payload, payload);
        let second = transport.read_message().await.unwrap().unwrap();
        assert_eq!(second.ty, PacketType::Attention);
        assert!(second.payload.is_empty());
        drop(writer.await.unwrap());
        assert!(transport.read_message().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn eof_inside_a_message_is_an_error() {
        let (mut transport, mut client) = pair().await;
        let framed = packet::frame(PacketType::SqlBatch, &[1, 2, 3], 4096, 0, false);
        client.write_all(&framed).await.unwrap();
        drop(client);
        assert!(transport.read_message().await.is_err());
    }
}
