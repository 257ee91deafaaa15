// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-cli requests `upload` and `cancel_upload` (docs/protocol.md §8), added
// through MusubiCli::addOpProvider(). Line shapes: demo/cli/README.md.
#include "musubicli.h"

#include <musubistoretree.h>
#include <musubiupload.h>
#include <musubiuploader.h>
#include <musubiuploadjob.h>

#include <QtCore/QJsonArray>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {

/*!
    The request's \c uploader option: reports the scripted progress values,
    then succeeds or fails with the message. Lets scripts exercise external
    mode without an HTTP server.
*/
class ScriptedUploader : public MusubiUploader
{
public:
    ScriptedUploader(const QJsonObject &script, QObject *parent)
        : MusubiUploader(parent)
        , m_script(script)
    { }

    void upload(MusubiUploadJob *job) override
    {
        QPointer<MusubiUploadJob> guard(job);
        // Asynchronous like a real transfer: the job starts before it reports.
        QTimer::singleShot(0, this, [this, guard] {
            const QJsonArray progress = m_script.value("progress"_L1).toArray();
            for (const QJsonValue &value : progress) {
                if (!guard)
                    return;
                guard->reportProgress(value.toDouble());
            }
            if (!guard)
                return;
            if (m_script.value("result"_L1).toString(u"succeeded"_s) == "succeeded"_L1)
                guard->finish();
            else
                guard->fail(m_script.value("message"_L1).toString(u"scripted failure"_s));
        });
    }

private:
    QJsonObject m_script;
};

QJsonValue tagOf(const QJsonObject &request)
{
    const QJsonValue tag = request.value("tag"_L1);
    return tag.isUndefined() ? QJsonValue(QJsonValue::Null) : tag;
}

//! The handle named by the request, or nullptr after printing an error line.
MusubiUpload *findHandle(MusubiCli *cli, const QJsonObject &request)
{
    const QJsonValue tag = tagOf(request);
    const QString key = request.value("root"_L1).toString();
    MusubiRoot *root = cli->root(key);
    if (!root) {
        cli->emitError(tag, u"unknown root: "_s + key);
        return nullptr;
    }
    const QJsonValue storeId = request.value("store_id"_L1);
    const QString name = request.value("name"_L1).toString();
    if (!storeId.isArray() || name.isEmpty()) {
        cli->emitError(tag, u"invalid request: store_id (array) and name are required"_s);
        return nullptr;
    }
    MusubiStoreTree *tree = root->storeTree();
    MusubiUpload *handle = tree ? tree->upload(storeId.toArray(), name) : nullptr;
    if (!handle)
        cli->emitError(tag, u"unknown upload: "_s + name);
    return handle;
}

QJsonObject uploadLine(const QJsonValue &tag, const QString &stage)
{
    return QJsonObject{{u"type"_s, u"upload"_s}, {u"tag"_s, tag}, {u"stage"_s, stage}};
}

void upload(MusubiCli *cli, const QJsonObject &request)
{
    const QJsonValue tag = tagOf(request);
    MusubiUpload *handle = findHandle(cli, request);
    if (!handle)
        return;
    QStringList files;
    const QJsonArray fileArray = request.value("files"_L1).toArray();
    for (const QJsonValue &file : fileArray)
        files.append(file.toString());
    const bool start = request.value("start"_L1).toBool(true);
    const QJsonValue script = request.value("uploader"_L1);

    // Everything of this request hangs off one context object, deleted at the end.
    auto *context = new QObject(handle);
    cli->beginPendingOp();
    auto done = [cli, context] {
        context->deleteLater();
        cli->endPendingOp();
    };
    QObject::connect(
            handle, &MusubiUpload::preflightFinished, context,
            [=](const QJsonArray &accepted, const QJsonArray &rejected) {
                QJsonObject line = uploadLine(tag, u"preflight"_s);
                line.insert(u"accepted"_s, accepted);
                // A refused preflight rejects no single file: report the handle's error.
                line.insert(u"errors"_s,
                            accepted.isEmpty() && rejected.isEmpty() ? handle->errors() : rejected);
                MusubiCli::emitLine(line);
                if (!start) {
                    done(); // entries stay pending, the handle stays selecting
                    return;
                }
                QSet<QString> refs;
                QStringList uploaderNames;
                for (const QJsonValue &entry : accepted) {
                    refs.insert(entry[u"ref"_s].toString());
                    const QString name = entry[u"uploader"_s].toString();
                    if (!name.isEmpty() && !uploaderNames.contains(name))
                        uploaderNames.append(name);
                }
                MusubiConnection *connection = cli->connection();
                QHash<QString, QPointer<QObject>> previous;
                if (script.isObject()) {
                    auto *scripted = new ScriptedUploader(script.toObject(), context);
                    for (const QString &name : std::as_const(uploaderNames)) {
                        previous.insert(name, connection->uploader(name));
                        connection->registerUploader(name, scripted);
                    }
                }
                QObject::connect(handle, &MusubiUpload::entryProgressChanged, context,
                                 [tag, refs](const QString &ref, int progress) {
                                     if (!refs.contains(ref))
                                         return;
                                     QJsonObject line = uploadLine(tag, u"progress"_s);
                                     line.insert(u"ref"_s, ref);
                                     line.insert(u"progress"_s, progress);
                                     MusubiCli::emitLine(line);
                                 });
                auto settle = [=](const QJsonArray &errors) {
                    // The scripted uploader was for this request only.
                    for (auto it = previous.cbegin(); it != previous.cend(); ++it) {
                        if (it.value())
                            connection->registerUploader(it.key(), it.value());
                        else
                            connection->unregisterUploader(it.key());
                    }
                    QJsonObject line = uploadLine(tag, u"done"_s);
                    line.insert(u"status"_s, handle->statusName()); // succeeded or failed
                    line.insert(u"errors"_s, errors);
                    MusubiCli::emitLine(line);
                    done();
                };
                if (accepted.isEmpty()) {
                    // Nothing to transfer: the preflight outcome is the result.
                    QJsonObject line = uploadLine(tag, u"done"_s);
                    line.insert(u"status"_s, u"failed"_s);
                    line.insert(u"errors"_s, rejected.isEmpty() ? handle->errors() : rejected);
                    MusubiCli::emitLine(line);
                    done();
                    return;
                }
                QObject::connect(handle, &MusubiUpload::finished, context, settle,
                                 Qt::SingleShotConnection);
                handle->start();
            },
            Qt::SingleShotConnection);
    handle->selectFiles(files);
}

void cancelUpload(MusubiCli *cli, const QJsonObject &request)
{
    const QJsonValue tag = tagOf(request);
    MusubiUpload *handle = findHandle(cli, request);
    if (!handle)
        return;
    auto *context = new QObject(handle);
    cli->beginPendingOp();
    QObject::connect(
            handle, &MusubiUpload::cancelFinished, context,
            [cli, context, tag] {
                MusubiCli::emitLine(uploadLine(tag, u"cancelled"_s));
                context->deleteLater();
                cli->endPendingOp();
            },
            Qt::SingleShotConnection);
    handle->cancel(request.value("ref"_L1).toString());
}

const bool registered = MusubiCli::addOpProvider([](MusubiCli *cli) {
    cli->registerOp(u"upload"_s, upload);
    cli->registerOp(u"cancel_upload"_s, cancelUpload);
});

} // namespace
