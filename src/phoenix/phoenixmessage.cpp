// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixmessage.h"
#include "phoenixlogging_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

Q_LOGGING_CATEGORY(lcPhoenix, "musubi.phoenix")

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
