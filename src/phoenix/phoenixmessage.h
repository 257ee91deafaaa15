// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonValue>
#include <QtCore/QLoggingCategory>
#include <QtCore/QString>

#include <optional>

/*!
    \class PhoenixMessage
    \brief One Phoenix Channels v2 message: \c{[join_ref, ref, topic, event, payload]}.

    \c joinRef and \c ref are null QStrings when the wire slot is JSON \c null
    (heartbeats, server-initiated pushes). A message decoded from, or meant for,
    a binary frame carries its payload in \c binaryPayload and has
    \c isBinary set; \c payload is then undefined.
*/
struct MUSUBI_PHOENIX_EXPORT PhoenixMessage
{
    QString joinRef;
    QString ref;
    QString topic;
    QString event;
    QJsonValue payload;
    QByteArray binaryPayload;
    bool isBinary = false;

    friend bool operator==(const PhoenixMessage &, const PhoenixMessage &) = default;
};

/*!
    \namespace PhoenixSerializer
    \brief Encoder and decoder of the Phoenix serializer "2.0.0".

    Text frames are 5-element JSON arrays. Binary frames start with a kind
    byte: 0 = client push, 1 = server reply, 2 = server broadcast (see
    docs/protocol.md §1.8 and phoenix.js's serializer). Decoding never throws and
    never crashes on hostile input: it returns \c std::nullopt and writes a
    human-readable reason to \a error.
*/
namespace PhoenixSerializer {

enum class BinaryKind : quint8 { Push = 0, Reply = 1, Broadcast = 2 };

//! Encodes \a message as a v2 text frame (compact JSON array).
MUSUBI_PHOENIX_EXPORT QByteArray encodeText(const PhoenixMessage &message);

/*! Encodes a client push as a binary frame (kind 0). Each of join_ref, ref,
    topic and event must fit in 255 UTF-8 bytes; otherwise returns
    \c std::nullopt and names the offending field in \a error. */
MUSUBI_PHOENIX_EXPORT std::optional<QByteArray> encodeBinaryPush(const PhoenixMessage &message,
                                                                 QString *error = nullptr);

//! Decodes a v2 text frame. Wrong arity or slot types are refused.
MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeText(const QByteArray &frame,
                                                               QString *error = nullptr);

/*! Decodes a client push frame as a server sees it (kind 0 with four u8
    lengths: join_ref, ref, topic, event; the inverse of encodeBinaryPush()).
    Note that decodeBinary() reads kind 0 with the server-to-client layout
    (no ref), so a server must use this function for client frames. */
MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeBinaryPush(const QByteArray &frame,
                                                                     QString *error = nullptr);

/*! Decodes a server-to-client binary frame of kind 0 (push: join_ref, topic,
    event; no ref), 1 (reply: the message becomes a
    \c phx_reply whose payload is \c{{"status": ..., "response": null}} and
    whose raw response bytes are in \c binaryPayload) or 2 (broadcast). */
MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeBinary(const QByteArray &frame,
                                                                 QString *error = nullptr);

} // namespace PhoenixSerializer
