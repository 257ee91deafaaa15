// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// libFuzzer target: the Phoenix v2 frame decoders and the socket/channel
// dispatch behind them.
//
// Input:
//  - by default the whole input is one frame, given to decodeText(),
//    decodeBinary() and decodeBinaryPush(); what decodes must re-encode to a
//    frame that decodes to the same message (text and client binary push);
//  - an input starting with 'S' is a socket session: after the 'S', records
//    of [kind byte ('T' = text, anything else = binary), u16 big-endian
//    length, bytes] are delivered in order through a fake transport to a
//    PhoenixSocket whose channel "room:1" has sent its join (join_ref = ref =
//    "1") and a push "msg" (ref "2"); then virtual time runs for a minute so
//    timeouts, heartbeats and rejoins fire, and the socket is torn down.

#include "../phoenix/fakephoenixtransport.h"

#include <phoenixchannel.h>
#include <phoenixmessage.h>
#include <phoenixpush.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void decoders(const QByteArray &frame)
{
    QString error;
    if (const auto message = PhoenixSerializer::decodeText(frame, &error)) {
        check(!message->isBinary);
        const QByteArray encoded = PhoenixSerializer::encodeText(*message);
        const auto again = PhoenixSerializer::decodeText(encoded);
        check(again.has_value());
        check(*again == *message);
    } else {
        check(!error.isEmpty());
    }

    error.clear();
    if (const auto message = PhoenixSerializer::decodeBinary(frame, &error)) {
        check(message->isBinary);
    } else {
        check(!error.isEmpty());
    }

    error.clear();
    if (const auto message = PhoenixSerializer::decodeBinaryPush(frame, &error)) {
        check(message->isBinary);
        // Header fields are text: invalid UTF-8 decodes lossily, so the
        // message (not the bytes) must survive a round trip.
        const auto encoded = PhoenixSerializer::encodeBinaryPush(*message);
        if (encoded) {
            const auto again = PhoenixSerializer::decodeBinaryPush(*encoded);
            check(again.has_value());
            check(*again == *message);
        } else {
            // Only a field that grew past 255 bytes by that lossy decoding can fail.
            check(message->joinRef.toUtf8().size() > 255 || message->ref.toUtf8().size() > 255
                  || message->topic.toUtf8().size() > 255 || message->event.toUtf8().size() > 255);
        }
    } else {
        check(!error.isEmpty());
    }
}

void session(const QByteArray &records)
{
    auto socket = std::make_unique<PhoenixSocket>();
    auto *transport = new FakePhoenixTransport;
    auto *scheduler = new PhoenixManualScheduler;
    socket->setTransport(transport);
    socket->setScheduler(scheduler);
    socket->setRandomSource([] { return 0.5; });
    socket->setUrl(QUrl(u"ws://127.0.0.1:4000/socket"_s));
    socket->connectToServer();
    transport->serverOpen();
    QPointer<PhoenixChannel> channel = socket->channel(u"room:1"_s, {{u"token"_s, u"t"_s}});
    channel->join();
    channel->push(u"msg"_s, QJsonObject{{u"body"_s, 1}});

    qsizetype at = 0;
    while (at + 3 <= records.size()) {
        const char kind = records.at(at);
        const qsizetype length = (quint8(records.at(at + 1)) << 8) | quint8(records.at(at + 2));
        at += 3;
        const QByteArray frame = records.mid(at, length);
        at += length;
        if (kind == 'T')
            emit transport->textReceived(frame);
        else
            emit transport->binaryReceived(frame);
        if (channel && channel->state() == PhoenixChannel::State::Joined)
            channel->push(u"msg"_s, QJsonObject{{u"n"_s, int(at)}}); // feeds the reply table
    }
    for (int i = 0; i < 60; ++i)
        scheduler->advance(1000);
    socket->disconnectFromServer();
    socket.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    // Malformed frames are logged by design; the log would only slow the fuzzer down.
    QLoggingCategory::setFilterRules(u"musubi.*=false"_s);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (input.startsWith('S'))
        session(input.mid(1));
    else
        decoders(input);
    return 0;
}
