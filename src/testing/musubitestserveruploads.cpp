// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The upload side of MusubiTestServer (docs/protocol.md §8): preflight, the
// musubi_upload:<entry_ref> sub-channels with their tokens and chunks, the
// external-mode relays, cancel and consumption.
#include "musubitestserver_p.h"
#include "musubiteststore.h"
#include "musubiteststore_p.h"

#include <QtCore/QDir>
#include <QtCore/QJsonDocument>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

using Musubi::detail::reasonReply;
using Musubi::detail::storeIdKey;
using UploadEntry = MusubiTestServerPrivate::UploadEntry;

namespace {
QJsonValue substitute(const QJsonValue &value, const QString &ref, const QString &name)
{
    if (value.isString()) {
        QString text = value.toString();
        text.replace(u"{ref}"_s, ref);
        text.replace(u"{name}"_s, name);
        return text;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = substitute(it.value(), ref, name);
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = substitute(array.at(i), ref, name);
        return array;
    }
    return value;
}

QJsonObject errorOp(const QString &upload, const QString &ref, const QString &code,
                    const QString &message)
{
    return QJsonObject{{u"op"_s, u"error"_s},
                       {u"upload"_s, upload},
                       {u"ref"_s, ref},
                       {u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}};
}
} // namespace

// --- control events on the root channel ---------------------------------------

void MusubiTestServerPrivate::handleUploadEvent(TestConnection *c, const PhoenixMessage &m,
                                                TestRootSession *session)
{
    const QJsonObject payload = m.payload.toObject();
    const QJsonValue storeIdValue = payload.value(u"store_id"_s);
    const QString name = payload.value(u"name"_s).toString();
    if (name.isEmpty()) {
        reply(c, m, u"error"_s, reasonReply(u"missing required field"_s));
        return;
    }
    if (session->flushScheduled)
        session->flush();
    MusubiTestStore *store = session->storeIndex.value(storeIdKey(storeIdValue.toArray()));
    if (!store) {
        reply(c, m, u"error"_s, reasonReply(u"unknown store"_s));
        return;
    }
    if (!store->hasUpload(name)) {
        reply(c, m, u"error"_s, reasonReply(u"unknown upload"_s));
        return;
    }
    if (m.event == u"allow_upload"_s) {
        const QJsonValue entries = payload.value(u"entries"_s);
        if (!entries.isArray()) {
            reply(c, m, u"error"_s, reasonReply(u"missing required field"_s));
            return;
        }
        const QJsonObject response = preflight(store, name, entries.toArray());
        reply(c, m, u"ok"_s, response);
        session->flush(); // the add ops follow the reply
        return;
    }
    const QString ref = payload.value(u"ref"_s).toString();
    const QString token = findUploadToken(store, name, ref);
    if (m.event == u"cancel_upload"_s) {
        if (!token.isEmpty()) {
            UploadEntry &entry = uploadEntries[token];
            if (entry.channelConnection && entry.state == UploadEntry::State::Uploading) {
                // Killing the sub-channel cancels it (one cancel op, from uploadChannelEnded()).
                endChannel(entry.channelConnection, entry.topic, QString());
            } else {
                discardUploadFile(entry);
                queueUploadOp(
                        entry,
                        QJsonObject{{u"op"_s, u"cancel"_s}, {u"upload"_s, name}, {u"ref"_s, ref}});
                uploadEntries.remove(token);
            }
        }
        reply(c, m, u"ok"_s, QJsonObject()); // ok even for an unknown ref
        session->flush();
        return;
    }
    if (m.event == u"upload_progress"_s || m.event == u"upload_error"_s) {
        // The newest server reports unknown_entry / wrong_mode as "internal error".
        if (token.isEmpty() || !uploadEntries.value(token).external) {
            reply(c, m, u"error"_s, reasonReply(u"internal error"_s));
            return;
        }
        UploadEntry &entry = uploadEntries[token];
        if (m.event == u"upload_progress"_s) {
            const QJsonValue value = payload.value(u"progress"_s);
            const double raw = value.toDouble(-1);
            // Non-integer or negative → 0, above 100 → 100 (docs/protocol.md §8.7.3).
            const int progress = !value.isDouble() || raw < 0 || raw != double(qint64(raw))
                    ? 0
                    : int(qMin(raw, 100.0));
            entry.progress = progress;
            entry.state =
                    progress >= 100 ? UploadEntry::State::Done : UploadEntry::State::Uploading;
            queueUploadProgress(entry);
            if (progress >= 100)
                queueUploadOp(entry,
                              QJsonObject{{u"op"_s, u"complete"_s},
                                          {u"upload"_s, name},
                                          {u"ref"_s, ref}});
        } else {
            // Any other code is forced to external_failed.
            entry.state = UploadEntry::State::Failed;
            queueUploadOp(entry,
                          errorOp(name, ref, u"external_failed"_s,
                                  payload.value(u"message"_s).toString()));
        }
        reply(c, m, u"ok"_s, QJsonObject());
        session->flush();
        return;
    }
    reply(c, m, u"error"_s, reasonReply(u"internal error"_s));
}

QJsonObject MusubiTestServerPrivate::preflight(MusubiTestStore *store, const QString &upload,
                                               const QJsonArray &entries)
{
    const MusubiTestUploadConfig config = store->uploadConfig(upload);
    int existing = 0;
    for (const auto &entry : std::as_const(uploadEntries)) {
        if (entry.store == store && entry.upload == upload)
            ++existing;
    }
    QJsonObject accepted;
    QJsonArray errors;
    auto reject = [&](const QString &clientRef, const QString &code, const QString &message) {
        errors.append(
                QJsonObject{{u"client_ref"_s, clientRef},
                            {u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}});
    };
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const QString clientRef = entry.value(u"client_ref"_s).toString();
        const QString clientName = entry.value(u"name"_s).toString();
        const qint64 size = qint64(entry.value(u"size"_s).toDouble());
        // accept is matched against the name's extension; the MIME type is never checked.
        const qsizetype dot = clientName.lastIndexOf(u'.');
        const QString extension = dot < 0 ? QString() : clientName.mid(dot).toLower();
        if (!config.accept.isEmpty() && !config.accept.contains(extension, Qt::CaseInsensitive)) {
            reject(clientRef, u"not_accepted"_s, u"file type is not accepted"_s);
        } else if (size > config.maxFileSize) {
            reject(clientRef, u"too_large"_s, u"file exceeds the maximum size"_s);
        } else if (existing >= config.maxEntries) {
            reject(clientRef, u"too_many_files"_s, u"too many files"_s);
        } else {
            ++existing;
            // Real refs are random ("u_" + 11 base64url chars); fixtures renumber them like this.
            const QString entryRef = u"u_%1"_s.arg(nextUploadEntry++, 4, 10, QLatin1Char('0'));
            const QString token = QString::fromLatin1(QUuid::createUuid().toRfc4122().toBase64(
                    QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            UploadEntry record;
            record.store = store;
            record.upload = upload;
            record.entryRef = entryRef;
            record.clientName = clientName;
            record.clientType = entry.value(u"type"_s).toString();
            record.clientSize = size;
            record.external = !config.externalUploader.isEmpty();
            record.uploader = config.externalUploader;
            if (record.external) {
                record.meta = substitute(config.externalMeta, entryRef, clientName).toObject();
                accepted.insert(clientRef,
                                QJsonObject{{u"type"_s, u"external"_s},
                                            {u"entry_ref"_s, entryRef},
                                            {u"uploader"_s, record.uploader},
                                            {u"meta"_s, record.meta}});
            } else {
                accepted.insert(clientRef,
                                QJsonObject{{u"type"_s, u"channel"_s},
                                            {u"entry_ref"_s, entryRef},
                                            {u"token"_s, token}});
            }
            uploadEntries.insert(token, record);
            store->queueUploadOp(QJsonObject{{u"op"_s, u"add"_s},
                                             {u"upload"_s, upload},
                                             {u"ref"_s, entryRef},
                                             {u"entry"_s,
                                              QJsonObject{{u"ref"_s, entryRef},
                                                          {u"client_name"_s, clientName},
                                                          {u"client_size"_s, double(size)},
                                                          {u"client_type"_s, record.clientType},
                                                          {u"progress"_s, 0},
                                                          {u"status"_s, u"pending"_s},
                                                          {u"errors"_s, QJsonArray()}}}});
        }
    }
    return QJsonObject{{u"ref"_s, upload},
                       {u"config"_s, config.toJson()},
                       {u"entries"_s, accepted},
                       {u"errors"_s, errors}};
}

// --- musubi_upload:<entry_ref> sub-channels (§8.6) -----------------------------

void MusubiTestServerPrivate::handleUploadJoin(TestConnection *c, const PhoenixMessage &m)
{
    const QString token = m.payload.toObject().value(u"token"_s).toString();
    const QString ref = m.topic.mid(qsizetype(std::char_traits<char>::length("musubi_upload:")));
    auto it = uploadEntries.find(token);
    // Bad token, entry mismatch, store gone, external entry or an upload that
    // already ran: all "unauthorized", as Phoenix.Token verification gives.
    if (token.isEmpty() || it == uploadEntries.end() || it->entryRef != ref || !it->store
        || it->external || it->state != UploadEntry::State::Pending) {
        reply(c, m, u"error"_s, reasonReply(u"unauthorized"_s));
        if (!destroying)
            Q_EMIT q->channelJoinRefused(m.topic, u"unauthorized"_s);
        return;
    }
    QFile *file = nullptr;
    const QString dir = uploadDirectory();
    if (!dir.isEmpty()) {
        it->path = QDir(dir).filePath(ref);
        file = new QFile(it->path);
        if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            qCWarning(lcTestServer) << "cannot write" << it->path << file->errorString();
            delete file;
            file = nullptr;
        }
    }
    it->file.reset(file); // a null file makes every chunk a write failure
    it->state = UploadEntry::State::Uploading;
    it->channelConnection = c;
    it->topic = m.topic;
    it->written = 0;

    TestChannel channel;
    channel.topic = m.topic;
    channel.joinRef = m.joinRef;
    channel.uploadToken = token;
    c->channels.insert(m.topic, channel);

    const int timeout = it->store->uploadConfig(it->upload).chunkTimeout;
    auto *timer = new QTimer(q);
    timer->setSingleShot(true);
    timer->setInterval(timeout);
    QObject::connect(timer, &QTimer::timeout, q, [this, token] {
        // No reply: the client only sees its own push time out (§8.6.4).
        qCInfo(lcTestServer) << "upload chunk timeout for token" << token.left(6);
        failUpload(token, u"chunk_timeout"_s, u"no chunk received in time"_s);
    });
    timer->start();
    it->chunkTimer = timer;

    reply(c, m, u"ok"_s, QJsonObject());
    if (!destroying)
        Q_EMIT q->channelJoined(m.topic, m.payload.toObject());
}

void MusubiTestServerPrivate::handleUploadMessage(TestConnection *c, const PhoenixMessage &m,
                                                  const QString &token)
{
    auto it = uploadEntries.find(token);
    if (it == uploadEntries.end() || m.event != u"chunk"_s || !m.isBinary) {
        crashChannel(c, m.topic, u"no handle_in clause for "_s + m.event);
        return;
    }
    if (it->chunkTimer)
        it->chunkTimer->start();
    const MusubiTestUploadConfig config =
            it->store ? it->store->uploadConfig(it->upload) : MusubiTestUploadConfig();
    const qint64 size = m.binaryPayload.size();
    if (size > config.chunkSize) {
        reply(c, m, u"error"_s, reasonReply(u"chunk too large"_s));
        failUpload(token, u"chunk_too_large"_s, u"chunk exceeds the chunk size"_s);
        return;
    }
    if (it->written + size > config.maxFileSize) {
        reply(c, m, u"error"_s, reasonReply(u"upload too large"_s));
        failUpload(token, u"too_large"_s, u"file exceeds the maximum size"_s);
        return;
    }
    if (!it->file || it->file->write(m.binaryPayload) != size) {
        reply(c, m, u"error"_s, reasonReply(u"write failed"_s));
        failUpload(token, u"internal"_s, u"write failed"_s);
        return;
    }
    it->written += size;
    const bool complete = it->written >= it->clientSize;
    const int progress = complete ? 100 : int(it->written * 100 / it->clientSize);
    reply(c, m, u"ok"_s, QJsonObject{{u"progress"_s, progress}});
    if (progress != it->progress) {
        it->progress = progress;
        queueUploadProgress(*it);
    }
    if (complete)
        finishUploadChannel(token);
}

void MusubiTestServerPrivate::finishUploadChannel(const QString &token)
{
    auto it = uploadEntries.find(token);
    if (it == uploadEntries.end())
        return;
    it->state = UploadEntry::State::Done;
    if (it->file) {
        it->file->close();
        it->file.reset();
    }
    delete it->chunkTimer.data();
    queueUploadOp(*it,
                  QJsonObject{{u"op"_s, u"complete"_s},
                              {u"upload"_s, it->upload},
                              {u"ref"_s, it->entryRef}});
    // The upload channel stops itself once the file is complete, without a
    // close event (§8.6.3); the client leaves it anyway.
    const QPointer<TestConnection> connection = it->channelConnection;
    const QString topic = it->topic;
    it->channelConnection.clear();
    if (connection)
        endChannel(connection, topic, QString());
}

void MusubiTestServerPrivate::failUpload(const QString &token, const QString &code,
                                         const QString &message)
{
    auto it = uploadEntries.find(token);
    if (it == uploadEntries.end())
        return;
    it->state = UploadEntry::State::Failed;
    discardUploadFile(*it);
    delete it->chunkTimer.data();
    queueUploadOp(*it, errorOp(it->upload, it->entryRef, code, message));
    // Stopped silently: after a chunk timeout the client only sees its own push time out.
    const QPointer<TestConnection> connection = it->channelConnection;
    const QString topic = it->topic;
    it->channelConnection.clear();
    if (connection)
        endChannel(connection, topic, QString());
}

void MusubiTestServerPrivate::uploadChannelEnded(const TestChannel &channel)
{
    auto it = uploadEntries.find(channel.uploadToken);
    if (it == uploadEntries.end())
        return;
    it->channelConnection.clear();
    if (it->state != UploadEntry::State::Uploading)
        return;
    // Leaving (or losing the socket) before completion is a cancel: nothing
    // half-written stays behind (§8.6.5).
    delete it->chunkTimer.data();
    discardUploadFile(*it);
    queueUploadOp(*it,
                  QJsonObject{{u"op"_s, u"cancel"_s},
                              {u"upload"_s, it->upload},
                              {u"ref"_s, it->entryRef}});
    uploadEntries.erase(it);
}

void MusubiTestServerPrivate::discardUploadFile(UploadEntry &entry)
{
    if (entry.file) {
        entry.file->close();
        entry.file.reset();
    }
    if (!entry.path.isEmpty()) {
        QFile::remove(entry.path);
        entry.path.clear();
    }
}

QString MusubiTestServerPrivate::findUploadToken(MusubiTestStore *store, const QString &upload,
                                                 const QString &ref) const
{
    for (auto it = uploadEntries.cbegin(); it != uploadEntries.cend(); ++it) {
        if (it->store == store && it->upload == upload && it->entryRef == ref)
            return it.key();
    }
    return QString();
}

void MusubiTestServerPrivate::queueUploadOp(const UploadEntry &entry, const QJsonObject &op)
{
    if (entry.store && !destroying)
        entry.store->queueUploadOp(op);
}

void MusubiTestServerPrivate::queueUploadProgress(UploadEntry &entry)
{
    // Like Musubi: at most 10 progress ops per second and entry, so a final
    // "progress 100" may be swallowed; complete, error, cancel and reset never are.
    if (entry.lastProgressOp.isValid() && entry.lastProgressOp.elapsed() < 100)
        return;
    entry.lastProgressOp.start();
    queueUploadOp(entry,
                  QJsonObject{{u"op"_s, u"progress"_s},
                              {u"upload"_s, entry.upload},
                              {u"ref"_s, entry.entryRef},
                              {u"progress"_s, entry.progress}});
}

QString MusubiTestServerPrivate::uploadDirectory()
{
    if (!uploadDir) {
        uploadDir = std::make_unique<QTemporaryDir>();
        if (!uploadDir->isValid())
            qCWarning(lcTestServer) << "no upload directory:" << uploadDir->errorString();
    }
    return uploadDir->isValid() ? uploadDir->path() : QString();
}

/*!
    \target MusubiTestServer-uploadDirectory

    The directory received upload files are written to (a temporary
    directory removed with the server; partial files are deleted as soon
    as their transfer fails or is cancelled).
*/
QString MusubiTestServer::uploadDirectory() const
{
    return d->uploadDirectory();
}

// --- consumption (§8.8) -----------------------------------------------------------

/*!
    \target MusubiTestStore-consumeUploadedEntries

    Takes the finished entries of upload \a name (Elixir \c consume_uploaded_entries/3, for a
    command handler): they leave the server's registry, and when no entry of \a name remains a
    \c reset op is queued. Files stay in
    \l {MusubiTestServer-uploadDirectory}{MusubiTestServer::uploadDirectory()} until the server is
    destroyed.
*/
QList<MusubiTestUploadedEntry> MusubiTestStore::consumeUploadedEntries(const QString &name)
{
    QList<MusubiTestUploadedEntry> out;
    MusubiTestServer *owner = server();
    if (!owner)
        return out;
    MusubiTestServerPrivate *sd = owner->d.get();
    bool remaining = false;
    QList<QPair<int, QString>> done; // by entry number, so they come out in preflight order
    for (auto it = sd->uploadEntries.cbegin(); it != sd->uploadEntries.cend(); ++it) {
        if (it->store != this || it->upload != name)
            continue;
        if (it->state == UploadEntry::State::Done)
            done.append({it->entryRef.mid(2).toInt(), it.key()});
        else
            remaining = true;
    }
    std::sort(done.begin(), done.end());
    for (const auto &[number, token] : std::as_const(done)) {
        Q_UNUSED(number);
        const UploadEntry entry = sd->uploadEntries.take(token);
        MusubiTestUploadedEntry item;
        item.ref = entry.entryRef;
        item.clientName = entry.clientName;
        item.clientType = entry.clientType;
        item.clientSize = entry.clientSize;
        item.external = entry.external;
        item.path = entry.path;
        item.meta = entry.meta;
        if (!entry.path.isEmpty()) {
            QFile file(entry.path);
            if (file.open(QIODevice::ReadOnly))
                item.contents = file.readAll();
        }
        out.append(item);
    }
    if (!remaining && !out.isEmpty())
        queueUploadOp(QJsonObject{{u"op"_s, u"reset"_s}, {u"upload"_s, name}});
    return out;
}
