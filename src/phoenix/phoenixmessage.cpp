// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixmessage.h"
#include "phoenixlogging_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

Q_LOGGING_CATEGORY(lcPhoenix, "musubi.phoenix")

/*!
    \class PhoenixMessage
    \inmodule MusubiPhoenix
    \inheaderfile phoenixmessage.h
    \brief One Phoenix Channels v2 message: \c{[join_ref, ref, topic, event, payload]}.

    \c joinRef and \c ref are null QStrings when the wire slot is JSON \c null
    (heartbeats, server-initiated pushes). A message decoded from, or meant for,
    a binary frame carries its payload in \c binaryPayload and has
    \c isBinary set; \c payload is then undefined.
*/

/*!
    \variable PhoenixMessage::joinRef
    \brief The \c join_ref slot: the ref of the join this message belongs to.
*/

/*!
    \variable PhoenixMessage::ref
    \brief The \c ref slot: matches a reply to its push.
*/

/*!
    \variable PhoenixMessage::topic
    \brief The channel topic, e.g. \c{musubi:connection}.
*/

/*!
    \variable PhoenixMessage::event
    \brief The event name, e.g. \c phx_join, \c phx_reply or \c command.
*/

/*!
    \variable PhoenixMessage::payload
    \brief The JSON payload of a text frame.
*/

/*!
    \variable PhoenixMessage::binaryPayload
    \brief The raw payload of a binary frame.
*/

/*!
    \variable PhoenixMessage::isBinary
    \brief Whether the message is (or came from) a binary frame.
*/

/*!
    \namespace PhoenixSerializer
    \inmodule MusubiPhoenix
    \inheaderfile phoenixmessage.h
    \brief Encoder and decoder of the Phoenix serializer "2.0.0".

    Text frames are 5-element JSON arrays. Binary frames start with a kind
    byte: 0 = client push, 1 = server reply, 2 = server broadcast (see
    docs/protocol.md §1.8 and phoenix.js's serializer). Decoding never throws and
    never crashes on hostile input: it returns \c std::nullopt and writes a
    human-readable reason to its \c error argument (when that is not null).
*/

/*!
    \enum PhoenixSerializer::BinaryKind

    The kind byte that starts a binary frame.

    \value Push A client push (client to server) or a server push (server to client).
    \value Reply A server reply to a push.
    \value Broadcast A server broadcast.
*/

/*!
    \fn QByteArray PhoenixSerializer::encodeText(const PhoenixMessage &message)

    Encodes \a message as a v2 text frame (compact JSON array).
*/

/*!
    \fn std::optional<QByteArray> PhoenixSerializer::encodeBinaryPush(const PhoenixMessage &message,
   QString *error)

    Encodes the client push \a message as a binary frame (kind 0). Each of
    join_ref, ref, topic and event must fit in 255 UTF-8 bytes; otherwise
    returns \c std::nullopt and names the offending field in \a error (when
    not null).
*/

/*!
    \fn std::optional<PhoenixMessage> PhoenixSerializer::decodeText(const QByteArray &frame, QString
   *error)

    Decodes the v2 text \a frame. Wrong arity or slot types are refused:
    the result is \c std::nullopt and \a error (when not null) says why.
*/

/*!
    \fn std::optional<PhoenixMessage> PhoenixSerializer::decodeBinaryPush(const QByteArray &frame,
   QString *error)

    Decodes a client push frame as a server sees it (kind 0 with four u8
    lengths: join_ref, ref, topic, event; the inverse of encodeBinaryPush()).
    Note that decodeBinary() reads kind 0 with the server-to-client layout
    (no ref), so a server must use this function for client frames.

    Returns the message decoded from \a frame, or \c std::nullopt with the
    reason in \a error (when not null).
*/

/*!
    \fn std::optional<PhoenixMessage> PhoenixSerializer::decodeBinary(const QByteArray &frame,
   QString *error)

    Decodes a server-to-client binary frame of kind 0 (push: join_ref, topic,
    event; no ref), 1 (reply: the message becomes a
    \c phx_reply whose payload is \c{{"status": ..., "response": null}} and
    whose raw response bytes are in \c binaryPayload) or 2 (broadcast).

    Returns the message decoded from \a frame, or \c std::nullopt with the
    reason in \a error (when not null).
*/

namespace {

QJsonValue refToJson(const QString &ref)
{
    return ref.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(ref);
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// A ref slot is a string or null. Numbers are tolerated (some servers send
// integer refs) and normalised to their decimal text.
bool readRef(const QJsonValue &value, QString *out)
{
    if (value.isNull()) {
        *out = QString();
        return true;
    }
    if (value.isString()) {
        *out = value.toString();
        if (out->isNull())
            *out = QLatin1String("");
        return true;
    }
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d >= 0 && d <= 9007199254740992.0 && d == static_cast<double>(static_cast<qint64>(d))) {
            *out = QString::number(static_cast<qint64>(d));
            return true;
        }
    }
    return false;
}

} // namespace

namespace PhoenixSerializer {

QByteArray encodeText(const PhoenixMessage &message)
{
    const QJsonArray frame{
            refToJson(message.joinRef), refToJson(message.ref), message.topic, message.event,
            message.payload.isUndefined() ? QJsonValue(QJsonObject()) : message.payload};
    return QJsonDocument(frame).toJson(QJsonDocument::Compact);
}

std::optional<QByteArray> encodeBinaryPush(const PhoenixMessage &message, QString *error)
{
    const QByteArray fields[] = {message.joinRef.toUtf8(), message.ref.toUtf8(),
                                 message.topic.toUtf8(), message.event.toUtf8()};
    static constexpr const char *names[] = {"join_ref", "ref", "topic", "event"};
    QByteArray frame;
    frame.reserve(5 + fields[0].size() + fields[1].size() + fields[2].size() + fields[3].size()
                  + message.binaryPayload.size());
    frame.append(char(BinaryKind::Push));
    for (int i = 0; i < 4; ++i) {
        if (fields[i].size() > 255) {
            setError(error,
                     QStringLiteral("binary push refused: %1 is %2 bytes, the limit is 255")
                             .arg(QLatin1String(names[i]))
                             .arg(fields[i].size()));
            return std::nullopt;
        }
        frame.append(char(quint8(fields[i].size())));
    }
    for (const QByteArray &field : fields)
        frame.append(field);
    frame.append(message.binaryPayload);
    return frame;
}

std::optional<PhoenixMessage> decodeText(const QByteArray &frame, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(frame, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error,
                 QStringLiteral("not JSON: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isArray()) {
        setError(error, QStringLiteral("frame is not a JSON array"));
        return std::nullopt;
    }
    const QJsonArray array = doc.array();
    if (array.size() != 5) {
        setError(error, QStringLiteral("frame has %1 elements, expected 5").arg(array.size()));
        return std::nullopt;
    }
    PhoenixMessage message;
    if (!readRef(array.at(0), &message.joinRef)) {
        setError(error, QStringLiteral("join_ref is neither a string nor null"));
        return std::nullopt;
    }
    if (!readRef(array.at(1), &message.ref)) {
        setError(error, QStringLiteral("ref is neither a string nor null"));
        return std::nullopt;
    }
    if (!array.at(2).isString()) {
        setError(error, QStringLiteral("topic is not a string"));
        return std::nullopt;
    }
    if (!array.at(3).isString()) {
        setError(error, QStringLiteral("event is not a string"));
        return std::nullopt;
    }
    message.topic = array.at(2).toString();
    message.event = array.at(3).toString();
    message.payload = array.at(4);
    return message;
}

std::optional<PhoenixMessage> decodeBinaryPush(const QByteArray &frame, QString *error)
{
    const auto bytes = reinterpret_cast<const quint8 *>(frame.constData());
    const qsizetype size = frame.size();
    if (size < 1) {
        setError(error, QStringLiteral("empty binary frame"));
        return std::nullopt;
    }
    if (bytes[0] != quint8(BinaryKind::Push)) {
        setError(error,
                 QStringLiteral("binary frame of kind %1 is not a client push").arg(bytes[0]));
        return std::nullopt;
    }
    constexpr qsizetype headerSize = 5;
    if (size < headerSize) {
        setError(error,
                 QStringLiteral("binary frame of %1 bytes is shorter than its header").arg(size));
        return std::nullopt;
    }
    PhoenixMessage message;
    message.isBinary = true;
    QString *fields[] = {&message.joinRef, &message.ref, &message.topic, &message.event};
    qsizetype offset = headerSize;
    for (int i = 0; i < 4; ++i) {
        const qsizetype length = bytes[1 + i];
        if (offset + length > size) {
            setError(error, QStringLiteral("binary frame truncated inside its header fields"));
            return std::nullopt;
        }
        *fields[i] = QString::fromUtf8(frame.constData() + offset, length);
        offset += length;
    }
    message.binaryPayload = frame.mid(offset);
    return message;
}

std::optional<PhoenixMessage> decodeBinary(const QByteArray &frame, QString *error)
{
    const auto bytes = reinterpret_cast<const quint8 *>(frame.constData());
    const qsizetype size = frame.size();
    if (size < 1) {
        setError(error, QStringLiteral("empty binary frame"));
        return std::nullopt;
    }

    // Header layout per kind (phoenix.js serializer): the number of u8 length
    // slots after the kind byte, and which message fields they describe.
    enum Field { JoinRef, Ref, Topic, Event };
    QList<Field> layout;
    switch (bytes[0]) {
    case quint8(BinaryKind::Push):
        layout = {JoinRef, Topic, Event};
        break;
    case quint8(BinaryKind::Reply):
        layout = {JoinRef, Ref, Topic, Event};
        break;
    case quint8(BinaryKind::Broadcast):
        layout = {Topic, Event};
        break;
    default:
        setError(error, QStringLiteral("unknown binary frame kind %1").arg(bytes[0]));
        return std::nullopt;
    }
    const qsizetype headerSize = 1 + layout.size();
    if (size < headerSize) {
        setError(error,
                 QStringLiteral("binary frame of %1 bytes is shorter than its header").arg(size));
        return std::nullopt;
    }
    qsizetype offset = headerSize;
    PhoenixMessage message;
    message.isBinary = true;
    QString status;
    for (qsizetype i = 0; i < layout.size(); ++i) {
        const qsizetype length = bytes[1 + i];
        if (offset + length > size) {
            setError(error, QStringLiteral("binary frame truncated inside its header fields"));
            return std::nullopt;
        }
        const QString text = QString::fromUtf8(frame.constData() + offset, length);
        offset += length;
        switch (layout.at(i)) {
        case JoinRef:
            message.joinRef = text;
            break;
        case Ref:
            message.ref = text;
            break;
        case Topic:
            message.topic = text;
            break;
        case Event:
            (bytes[0] == quint8(BinaryKind::Reply) ? status : message.event) = text;
            break;
        }
    }
    message.binaryPayload = frame.mid(offset);
    if (bytes[0] == quint8(BinaryKind::Reply)) {
        message.event = QStringLiteral("phx_reply");
        message.payload = QJsonObject{{QStringLiteral("status"), status},
                                      {QStringLiteral("response"), QJsonValue::Null}};
    }
    return message;
}

} // namespace PhoenixSerializer
