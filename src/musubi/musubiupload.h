// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QStringList>

class MusubiStoreTree;

/*!
    \class MusubiUpload
    \brief The upload handle of one (store, upload name) pair (PROTOCOL.md §8).

    Created by MusubiStoreTree when an upload slot or an upload op names it, owned by the
    tree and deleted (deleteLater()) when its store vanishes. \c upload_ops of an accepted
    envelope reach applyOp() in array order, after the tree, the store keys and the
    streams are final and before the stores' changed() signals.
*/
class MUSUBI_CORE_EXPORT MusubiUpload : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
public:
    MusubiUpload(const QStringList &storeId, const QString &name, QObject *parent = nullptr);
    ~MusubiUpload() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const { return m_storeId; }
    QString name() const { return m_name; }
    //! The tree that owns the handle (its parent), or nullptr.
    MusubiStoreTree *tree() const;

    //! Applies one upload op (\c config, \c add, \c progress, \c complete, \c error,
    //! \c cancel, \c reset). Unknown ops are skipped (returns false), never an error.
    bool applyOp(const QJsonObject &op);

private:
    QStringList m_storeId;
    QString m_name;
};
