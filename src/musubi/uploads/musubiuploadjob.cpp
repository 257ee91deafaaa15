// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploadjob.h"

#include "musubijson_p.h"

using namespace Qt::StringLiterals;

MusubiUploadJob::MusubiUploadJob(const QJsonObject &entry, const QString &filePath,
                                 const QString &uploader, const QJsonObject &meta, QObject *parent)
    : QObject(parent)
    , m_entry(entry)
    , m_filePath(filePath)
    , m_uploader(uploader)
    , m_meta(meta)
{ }

MusubiUploadJob::~MusubiUploadJob() = default;

QString MusubiUploadJob::ref() const
{
    return m_entry.value("ref"_L1).toString();
}

qint64 MusubiUploadJob::size() const
{
    return Musubi::detail::jsonIntegerOr(m_entry.value("client_size"_L1));
}

QString MusubiUploadJob::clientType() const
{
    return m_entry.value("client_type"_L1).toString();
}

void MusubiUploadJob::reportProgress(double percent)
{
    if (m_finished || m_cancelled)
        return;
    Q_EMIT progressReported(percent);
}

void MusubiUploadJob::finish()
{
    if (m_finished || m_cancelled)
        return;
    m_finished = true;
    Q_EMIT finished(true, QString());
}

void MusubiUploadJob::fail(const QString &message)
{
    if (m_finished || m_cancelled)
        return;
    m_finished = true;
    Q_EMIT finished(false, message);
}

void MusubiUploadJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    Q_EMIT cancelled();
}
