// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubihttpuploader.h"

#include "musubiuploadjob.h"

#include <QtCore/QFile>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

/*!
    \class MusubiHttpUploader
    \inmodule MusubiCore
    \inheaderfile musubihttpuploader.h
    \brief The built-in external uploader: an HTTP PUT of the file to \c meta.url.

    Request headers come from \c meta.headers (an object of strings);
    \c Content-Type defaults to the entry's client type. The body is streamed
    from disk, never loaded whole. Upload progress is reported as it goes; a
    network error or a status outside 2xx fails the job with \c{"PUT <status>"}
    or the network error text.

    \sa MusubiUploader
*/

/*!
    Constructs an uploader with the given \a parent.
*/
MusubiHttpUploader::MusubiHttpUploader(QObject *parent)
    : MusubiUploader(parent)
{ }

MusubiHttpUploader::~MusubiHttpUploader() = default;

/*!
    Returns the network access manager used; one is created on first use if none was set.
*/
QNetworkAccessManager *MusubiHttpUploader::networkAccessManager() const
{
    if (!m_manager) {
        auto *self = const_cast<MusubiHttpUploader *>(this);
        self->m_manager = new QNetworkAccessManager(self);
        self->m_ownsManager = true;
    }
    return m_manager;
}

/*!
    Uses \a manager (not owned) instead of a private one.
*/
void MusubiHttpUploader::setNetworkAccessManager(QNetworkAccessManager *manager)
{
    if (m_ownsManager)
        delete m_manager;
    m_manager = manager;
    m_ownsManager = false;
}

void MusubiHttpUploader::upload(MusubiUploadJob *job)
{
    const QJsonObject meta = job->meta();
    const QUrl url(meta.value("url"_L1).toString());
    if (!url.isValid() || url.scheme().isEmpty()) {
        job->fail(u"meta.url is missing or invalid"_s);
        return;
    }
    auto *file = new QFile(job->filePath());
    if (!file->open(QIODevice::ReadOnly)) {
        const QString why = file->errorString();
        delete file;
        job->fail(u"cannot read %1: %2"_s.arg(job->filePath(), why));
        return;
    }
    QNetworkRequest request(url);
    if (!job->clientType().isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, job->clientType());
    const QJsonObject headers = meta.value("headers"_L1).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        request.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());

    // The body is read from the file as the socket drains: memory stays flat.
    QNetworkReply *reply = networkAccessManager()->put(request, file);
    file->setParent(reply);
    QPointer<MusubiUploadJob> guard(job);
    connect(reply, &QNetworkReply::uploadProgress, job, [guard](qint64 sent, qint64 total) {
        if (guard && total > 0)
            guard->reportProgress(double(sent) * 100.0 / double(total));
    });
    connect(job, &MusubiUploadJob::cancelled, reply, &QNetworkReply::abort);
    connect(reply, &QNetworkReply::finished, reply, [guard, reply] {
        reply->deleteLater();
        if (!guard || guard->isCancelled())
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError && status == 0) {
            guard->fail(reply->errorString());
        } else if (status < 200 || status >= 300) {
            guard->fail(u"PUT %1"_s.arg(status));
        } else {
            guard->finish();
        }
    });
}
